package main

import (
	"math"
	"math/rand/v2"
	"strconv"

	"k8s.io/apimachinery/pkg/util/intstr"
)

func intstrVectors() file {
	r := rand.New(rand.NewPCG(20260105, 5))
	var values []intstr.IntOrString
	for _, v := range []int32{0, 1, -1, 50, 100, math.MaxInt32, math.MinInt32} {
		values = append(values, intstr.FromInt32(v))
	}
	for _, s := range []string{"", "%", "0%", "1%", "25%", "50%", "100%", "150%", "-10%", "+10%", " 10%", "10 %", "10%%", "%10",
		"10", "abc", "abc%", "1.5%", "0x10%", "1_0%", "9223372036854775807%", "9223372036854775808%", "-9223372036854775808%",
		"99999999999999999999%", "007%", "33%", "66%", "12a%"} {
		values = append(values, intstr.FromString(s))
	}
	for i := 0; i < 400; i++ {
		if r.IntN(2) == 0 {
			values = append(values, intstr.FromInt32(int32(r.IntN(2000)-100)))
		} else {
			values = append(values, intstr.FromString(strconv.Itoa(r.IntN(250)-20)+"%"))
		}
	}
	totals := []int{0, 1, 2, 3, 7, 10, 33, 99, 100, 101, 1000, 12345, -5, 1 << 40}
	jsonValue := func(v intstr.IntOrString) any {
		if v.Type == intstr.Int {
			return v.IntVal
		}
		return v.StrVal
	}
	result := func(n int, err error) any {
		if err != nil {
			return map[string]string{"error": err.Error()}
		}
		return n
	}
	var rows []any
	for i, v := range values {
		for j, total := range totals {
			if i >= 35 && (i+j)%4 != 0 {
				continue // sample the random values against fewer totals
			}
			for _, up := range []bool{false, true} {
				vv := v
				a, aerr := intstr.GetScaledValueFromIntOrPercent(&vv, total, up)
				b, berr := intstr.GetValueFromIntOrPercent(&vv, total, up)
				rows = append(rows, []any{jsonValue(v), total, up, result(a, aerr), result(b, berr)})
			}
		}
	}
	var parseRows []any
	for _, s := range []string{"0", "1", "-1", "+1", "2147483647", "2147483648", "-2147483648", "-2147483649", "", "a", "1.5",
		"50%", " 1", "1 ", "0x10", "010", "1_000", "٣"} {
		p := intstr.Parse(s)
		parseRows = append(parseRows, []any{s, jsonValue(p), p.String(), p.IntValue()})
	}
	return file{
		comment: header,
		meta: [][2]any{
			{"row", "[value (JSON shape), total, roundUp, GetScaledValueFromIntOrPercent, GetValueFromIntOrPercent] (result is a number or {error})"},
			{"parseRow", "[input, Parse(input) JSON shape, String(), IntValue()]"},
		},
		sections: []section{{"scaled", rows}, {"parse", parseRows}},
	}
}
