package main

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

var decimalSuffixes = []string{"", "n", "u", "m", "k", "M", "G", "T", "P", "E"}
var binarySuffixes = []string{"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}

func digits(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// smallLen is biased towards short digit strings, with a tail up to max.
func smallLen(r *rand.Rand, max int) int {
	switch r.IntN(4) {
	case 0:
		return r.IntN(max + 1)
	default:
		return r.IntN(5)
	}
}

func randomQuantity(r *rand.Rand) string {
	var b strings.Builder
	switch r.IntN(6) {
	case 0:
		b.WriteString("-")
	case 1:
		if r.IntN(3) == 0 {
			b.WriteString("+")
		}
	}
	if r.IntN(8) == 0 {
		b.WriteString(strings.Repeat("0", 1+r.IntN(3)))
	}
	intLen := smallLen(r, 24)
	if intLen == 0 && r.IntN(2) == 0 {
		intLen = 1
	}
	if intLen > 0 {
		// avoid a leading zero most of the time so the value is interesting
		b.WriteByte(byte('1' + r.IntN(9)))
		b.WriteString(digits(r, intLen-1))
	}
	if r.IntN(3) == 0 {
		b.WriteString(".")
		fl := smallLen(r, 20)
		b.WriteString(digits(r, fl))
		if fl > 0 && r.IntN(3) == 0 {
			b.WriteString("000")
		}
	} else if r.IntN(3) == 0 {
		b.WriteString(strings.Repeat("0", 1+r.IntN(6)))
	}
	switch k := r.IntN(10); {
	case k < 4:
		b.WriteString(decimalSuffixes[r.IntN(len(decimalSuffixes))])
	case k < 7:
		b.WriteString(binarySuffixes[r.IntN(len(binarySuffixes))])
	default:
		if r.IntN(2) == 0 {
			b.WriteString("e")
		} else {
			b.WriteString("E")
		}
		switch r.IntN(3) {
		case 0:
			b.WriteString("-")
		case 1:
			if r.IntN(2) == 0 {
				b.WriteString("+")
			}
		}
		if r.IntN(5) == 0 {
			b.WriteString(strconv.Itoa(r.IntN(400)))
		} else {
			b.WriteString(strconv.Itoa(r.IntN(30)))
		}
	}
	return b.String()
}

func randomGarbage(r *rand.Rand) string {
	const alphabet = "0123456789.+-eEinumkKMGTPi xZ"
	n := 1 + r.IntN(8)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

func quantityEdgeCases() []string {
	out := []string{
		"0", "", "-", "+", ".", "-.", "+.", "0.", ".0", "00", "-0", "+0", "0.0", "-0.0", "0m", "0Ki", "0e10", "0E-10",
		"1", "-1", "+1", "1.", "-1.", ".5", "-.5", "1.5", "1.50", "1.500", "0.5", "0.05", "0.005", "0.0005",
		"1m", "1.5m", "0.1m", "0.9m", "1n", "0.1n", "0.5n", "1.5n", "999999999n", "1000000000n", "1u", "1500u",
		"1k", "1K", "1Ki", "1KI", "1ki", "1kI", "1M", "1Mi", "1G", "1Gi", "1T", "1Ti", "1P", "1Pi", "1E", "1Ei",
		"1.5Gi", "1.1Ki", "0.5Ki", "0.1Ki", "-0.5Ki", "1023", "1024", "1025", "-1024", "-1023", "2048", "1536Mi",
		"1Zi", "1Z", "1i", "1e", "1E", "1e+", "1e-", "1e3", "1E3", "1e+3", "1e-3", "1e-9", "1e-10", "1e-11",
		"1.5e3", "1.5e-3", "12e6", "1e18", "1e19", "1e20", "1e21", "9e18", "10e18", "1e300", "-1e300", "1e-300",
		"1e4294967297", "1e4294967296", "1e9223372036854775807", "1e9223372036854775808",
		"1e1.5", "1e1e1", "1ee1", "1Kii", "1 ", " 1", "1 Ki", "1Ki ", "--1", "++1", "+-1",
		"1..5", "1.5.5", "a", "Ki", "m", "e3", "1mm", "1mi", "1nn", "1un", "1kk", "1MM", "1Gi1", "1k1", "1m1",
		"1e01", "1e001", "1e+01", "1e-01", "010", "0010m", "-010", "1000", "1000m", "1000000m", "100000000000000000m",
		"9223372036854775807", "9223372036854775808", "-9223372036854775807", "-9223372036854775808",
		"-9223372036854775809", "9223372036854775807m", "9223372036854775807k", "9223372036854775807Ki",
		"9223372036854775807Ei", "8Ei", "7Ei", "8Ei1", "16Ei", "-8Ei", "-16Ei", "8191Pi", "8192Pi", "0.001Ei",
		"123456789012345678", "1234567890123456789", "12345678901234567890", "123456789012345678901234567890",
		"0.123456789012345678", "0.000000000123456789", "123.456789", "123.456789Ki", "123.4567891234Mi",
		"18446744073709551616", "18446744073709551615Ki", "4611686018427387904", "1152921504606846976Ki",
		"1.5Ei", "0.5Ei", "0.0000001Ki", "100Mi", "128Mi", "256Mi", "512Mi", "1000Mi", "1000Gi", "1024Gi",
		"250m", "500m", "2000m", "100m", "10m", "1Gi", "2Gi", "4Gi", "8Gi", "16Gi", "32Gi", "64Gi",
		"1e-7", "1e-8", "5e-10", "-5e-10", "1.0e3", "1.000e3", "100e-2", "10e-1", "1e0", "1e-0", "1E+0",
		"5000000000000000000000000000E", "0.000000000000001E", "1e6M", "1.25", "0.75Gi", "3.14159",
	}
	for _, s := range decimalSuffixes {
		for _, n := range []string{"1", "-1", "1.5", "999", "1000", "1001", "0.001", "123456789", "7"} {
			out = append(out, n+s)
		}
	}
	for _, s := range binarySuffixes {
		for _, n := range []string{"1", "-1", "1.5", "1023", "1024", "1025", "0.5", "8", "7", "9", "123456789"} {
			out = append(out, n+s)
		}
	}
	for e := -30; e <= 30; e++ {
		out = append(out, "1e"+strconv.Itoa(e), "-3E"+strconv.Itoa(e), "12.5e"+strconv.Itoa(e))
	}
	return out
}

type parsedQ struct {
	in string
	q  resource.Quantity
}

func floatString(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func quantityVectors() file {
	r := rand.New(rand.NewPCG(20260101, 1))
	inputs := quantityEdgeCases()
	for i := 0; i < 4500; i++ {
		inputs = append(inputs, randomQuantity(r))
	}
	for i := 0; i < 700; i++ {
		inputs = append(inputs, randomGarbage(r))
	}
	seen := map[string]bool{}
	var parseRows []any
	var valid []parsedQ
	okCount, errCount := 0, 0
	for _, in := range inputs {
		if seen[in] {
			continue
		}
		seen[in] = true
		q, err := resource.ParseQuantity(in)
		if err != nil {
			errCount++
			parseRows = append(parseRows, []any{in, nil, err.Error()})
			continue
		}
		okCount++
		str := q.String()
		// Canonical form recomputed without the cached input string (Neg clears it).
		c := q.DeepCopy()
		c.Neg()
		c.Neg()
		canonical := c.String()
		v := q.DeepCopy()
		m := q.DeepCopy()
		f := q.DeepCopy()
		parseRows = append(parseRows, []any{
			in, str, canonical, string(q.Format),
			strconv.FormatInt(v.Value(), 10), strconv.FormatInt(m.MilliValue(), 10),
			floatString(f.AsApproximateFloat64()),
		})
		valid = append(valid, parsedQ{in, q})
	}

	// Pairwise comparison and arithmetic on a sample of valid quantities.
	var cmpRows, arithRows []any
	for i := 0; i < 3000; i++ {
		a := valid[r.IntN(len(valid))]
		b := valid[r.IntN(len(valid))]
		if r.IntN(10) == 0 {
			b = a
		}
		qa, qb := a.q.DeepCopy(), b.q.DeepCopy()
		cmpRows = append(cmpRows, []any{a.in, b.in, qa.Cmp(qb)})
		if i%2 == 0 {
			sum := a.q.DeepCopy()
			sum.Add(b.q.DeepCopy())
			diff := a.q.DeepCopy()
			diff.Sub(b.q.DeepCopy())
			s1, s2 := sum.DeepCopy(), diff.DeepCopy()
			arithRows = append(arithRows, []any{a.in, b.in, sum.String(), string(sum.Format), diff.String(), string(diff.Format),
				strconv.FormatInt(s1.Value(), 10), strconv.FormatInt(s2.MilliValue(), 10)})
		}
	}

	// ScaledValue at other scales, for a sample.
	var scaledRows []any
	scales := []resource.Scale{resource.Nano, resource.Micro, resource.Kilo, resource.Mega, resource.Giga, resource.Exa, 1, -1, 20, -20}
	for i := 0; i < 800; i++ {
		a := valid[r.IntN(len(valid))]
		row := []any{a.in}
		for _, sc := range scales {
			q := a.q.DeepCopy()
			row = append(row, strconv.FormatInt(q.ScaledValue(sc), 10))
		}
		scaledRows = append(scaledRows, row)
	}

	// Constructors from integers: NewQuantity / NewMilliQuantity / NewScaledQuantity.
	var ctorRows []any
	formats := []resource.Format{resource.DecimalSI, resource.BinarySI, resource.DecimalExponent}
	randInt := func() int64 {
		switch r.IntN(4) {
		case 0:
			return r.Int64N(2000) - 1000
		case 1:
			return int64(r.IntN(64)+1) << (10 * r.IntN(6))
		case 2:
			v := r.Int64()
			if r.IntN(2) == 0 {
				v = -v
			}
			return v
		default:
			return (r.Int64N(100000) - 50000) * int64(math.Pow10(r.IntN(12)))
		}
	}
	for i := 0; i < 1200; i++ {
		v := randInt()
		f := formats[r.IntN(len(formats))]
		scale := int32(r.IntN(40) - 20)
		ctorRows = append(ctorRows, []any{
			strconv.FormatInt(v, 10), string(f), scale,
			resource.NewQuantity(v, f).String(),
			resource.NewMilliQuantity(v, f).String(),
			resource.NewScaledQuantity(v, resource.Scale(scale)).String(),
		})
	}
	for _, v := range []int64{0, 1, -1, math.MaxInt64, math.MinInt64, math.MinInt64 + 1, 1023, 1024, -1024, 1 << 62, 999, 1000} {
		for _, f := range formats {
			ctorRows = append(ctorRows, []any{strconv.FormatInt(v, 10), string(f), int32(0),
				resource.NewQuantity(v, f).String(), resource.NewMilliQuantity(v, f).String(), resource.NewScaledQuantity(v, 0).String()})
		}
	}

	return file{
		comment: header,
		meta: [][2]any{
			{"parseRow", "[input, String(), canonical (recomputed), Format, Value(), MilliValue(), AsApproximateFloat64()] or [input, null, error]"},
			{"cmpRow", "[a, b, a.Cmp(b)]"},
			{"arithRow", "[a, b, (a+b).String(), (a+b).Format, (a-b).String(), (a-b).Format, (a+b).Value(), (a-b).MilliValue()]"},
			{"scaledRow", "[input, ScaledValue(s) for s in scaledScales]"},
			{"scaledScales", []int{-9, -6, 3, 6, 9, 18, 1, -1, 20, -20}},
			{"ctorRow", "[int64, format, scale, NewQuantity(v,format), NewMilliQuantity(v,format), NewScaledQuantity(v,scale)]"},
			{"counts", map[string]int{"ok": okCount, "error": errCount}},
		},
		sections: []section{{"parse", parseRows}, {"cmp", cmpRows}, {"arith", arithRows}, {"scaled", scaledRows}, {"ctor", ctorRows}},
	}
}
