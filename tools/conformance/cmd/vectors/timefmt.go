package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func timeVectors() file {
	r := rand.New(rand.NewPCG(20260102, 2))
	type inst struct{ sec, nsec int64 }
	var instants []inst
	add := func(t time.Time) { instants = append(instants, inst{t.Unix(), int64(t.Nanosecond())}) }
	for _, y := range []int{-1000, -1, 0, 1, 4, 100, 1582, 1600, 1700, 1800, 1899, 1900, 1904, 1969, 1970, 1971, 1999, 2000, 2001,
		2004, 2024, 2038, 2100, 2400, 2401, 9999, 10000, 12345, 99999} {
		for _, md := range [][2]int{{1, 1}, {2, 28}, {2, 29}, {3, 1}, {12, 31}} {
			add(time.Date(y, time.Month(md[0]), md[1], 0, 0, 0, 0, time.UTC))
			add(time.Date(y, time.Month(md[0]), md[1], 23, 59, 59, 999999999, time.UTC))
		}
	}
	add(time.Unix(0, 0))
	add(time.Unix(-1, 0))
	add(time.Unix(-1, 999999999))
	add(time.Unix(1<<31-1, 0))
	add(time.Unix(1<<31, 0))
	add(time.Unix(-(1 << 31), 0))
	add(time.Time{})
	for i := 0; i < 2500; i++ {
		var sec int64
		switch r.IntN(4) {
		case 0: // far past and future
			sec = r.Int64N(2*400_000_000_000) - 400_000_000_000
		case 1: // years 0000..9999
			sec = r.Int64N(315_537_897_600) - 62_167_219_200
		default: // recent
			sec = r.Int64N(4_102_444_800)
		}
		nsec := int64(0)
		switch r.IntN(3) {
		case 0:
			nsec = r.Int64N(1_000_000_000)
		case 1:
			nsec = r.Int64N(1000) * 1_000_000
		}
		instants = append(instants, inst{sec, nsec})
	}
	var formatRows []any
	for _, in := range instants {
		t := time.Unix(in.sec, in.nsec)
		mt := metav1.NewMicroTime(t)
		formatRows = append(formatRows, []any{in.sec, in.nsec, t.UTC().Format(time.RFC3339), mt.UTC().Format(metav1.RFC3339Micro)})
	}

	// Parse inputs: valid strings in many shapes, then mutations.
	var inputs []string
	twoDigits := func(n int) string { return fmt.Sprintf("%02d", n) }
	for i := 0; i < 1500; i++ {
		year := r.IntN(10000)
		if r.IntN(3) > 0 {
			year = 1900 + r.IntN(250)
		}
		month := 1 + r.IntN(12)
		day := 1 + r.IntN(31)
		hour, min, sec := r.IntN(24), r.IntN(60), r.IntN(60)
		var b strings.Builder
		fmt.Fprintf(&b, "%04d-%s-%sT%s:%s:%s", year, twoDigits(month), twoDigits(day), twoDigits(hour), twoDigits(min), twoDigits(sec))
		switch r.IntN(5) {
		case 0:
			b.WriteString("." + digits(r, 6))
		case 1:
			b.WriteString("." + digits(r, 1+r.IntN(12)))
		}
		switch r.IntN(3) {
		case 0:
			b.WriteString("Z")
		default:
			sign := "+"
			if r.IntN(2) == 0 {
				sign = "-"
			}
			fmt.Fprintf(&b, "%s%s:%s", sign, twoDigits(r.IntN(24)), twoDigits([]int{0, 0, 30, 45, r.IntN(60)}[r.IntN(5)]))
		}
		inputs = append(inputs, b.String())
	}
	mutate := func(s string) string {
		bs := []byte(s)
		switch r.IntN(7) {
		case 0: // replace a character
			i := r.IntN(len(bs))
			bs[i] = "0123456789-:TZtz.,+ xX"[r.IntN(22)]
		case 1: // delete a character
			i := r.IntN(len(bs))
			bs = append(bs[:i], bs[i+1:]...)
		case 2: // insert a character
			i := r.IntN(len(bs) + 1)
			c := "0123456789-:TZ.,+ "[r.IntN(18)]
			bs = append(bs[:i], append([]byte{c}, bs[i:]...)...)
		case 3: // truncate
			bs = bs[:r.IntN(len(bs))]
		case 4: // out of range field
			fields := []int{5, 8, 11, 14, 17}
			i := fields[r.IntN(len(fields))]
			v := []string{"00", "13", "24", "29", "30", "31", "32", "59", "60", "61", "99"}[r.IntN(11)]
			copy(bs[i:i+2], v)
		case 5: // extra text
			bs = append(bs, " x"[r.IntN(2)])
		default: // single digit hour
			if len(bs) > 13 {
				bs = append(bs[:11], bs[12:]...)
			}
		}
		return string(bs)
	}
	n := len(inputs)
	for i := 0; i < 1500; i++ {
		inputs = append(inputs, mutate(inputs[r.IntN(n)]))
	}
	inputs = append(inputs,
		"", "null", "Z", "2006-01-02", "2006-01-02T15:04:05", "2006-01-02T15:04:05Z", "2006-01-02t15:04:05z",
		"2006-01-02T15:04:05.000000Z", "2006-01-02T15:04:05.123456789Z", "2006-01-02T15:04:05,123456Z",
		"2006-01-02T15:04:05.Z", "2006-01-02T15:04:05.1Z", "2006-01-02T15:04:05.1234567Z", "2006-01-02T15:04:05.12345Z",
		"2000-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2400-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
		"2023-04-31T00:00:00Z", "2023-00-10T00:00:00Z", "2023-13-10T00:00:00Z", "2023-01-00T00:00:00Z", "2023-01-32T00:00:00Z",
		"2023-01-01T24:00:00Z", "2023-01-01T23:60:00Z", "2023-01-01T23:59:60Z", "2023-01-01T23:59:59+24:00",
		"2023-01-01T23:59:59+25:00", "2023-01-01T23:59:59+23:60", "2023-01-01T23:59:59+23:61", "2023-01-01T23:59:59-00:00",
		"2023-01-01T23:59:59+0000", "2023-01-01T23:59:59+00", "2023-01-01T1:02:03Z", "2023-01-01T01:2:03Z", "2023-1-01T01:02:03Z",
		"0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-23:59",
		"0000-01-01T00:00:00+23:59", "10000-01-01T00:00:00Z", "-001-01-01T00:00:00Z", "+2023-01-01T00:00:00Z",
		"2023-01-01T00:00:00.000000+05:30", "2023-01-01T00:00:00.000000-05:30", "2023-01-01 00:00:00Z",
		"2023-01-01T00:00:00ZZ", "2023-01-01T00:00:00Z ", " 2023-01-01T00:00:00Z", "2023-01-01T00:00:00.999999999999Z",
		"2023-01-01T00:00:00.-1Z", "2023-01-01T00:00:00+05:30:00", "2023-01-01T00:00:00\u00e9", "2023-01-01T00:00:00\x01Z",
	)
	var parseRows []any
	seen := map[string]bool{}
	for _, s := range inputs {
		if seen[s] {
			continue
		}
		seen[s] = true
		for _, layout := range []string{"time", "micro"} {
			l := time.RFC3339
			if layout == "micro" {
				l = metav1.RFC3339Micro
			}
			t, err := time.Parse(l, s)
			if err != nil {
				parseRows = append(parseRows, []any{s, layout, nil, err.Error()})
			} else {
				parseRows = append(parseRows, []any{s, layout, t.Unix(), t.Nanosecond()})
			}
		}
	}
	return file{
		comment: header,
		meta: [][2]any{
			{"formatRow", "[unixSeconds, nanos, UTC().Format(RFC3339), UTC().Format(RFC3339Micro)]"},
			{"parseRow", "[input, \"time\"|\"micro\", unixSeconds, nanos] or [input, layout, null, error]"},
		},
		sections: []section{{"format", formatRows}, {"parse", parseRows}},
	}
}

func durationVectors() file {
	r := rand.New(rand.NewPCG(20260103, 3))
	var values []int64
	for _, v := range []int64{0, 1, -1, 999, 1000, 1001, 999999, 1000000, 1000001, 999999999, 1000000000, 1000000001,
		59999999999, 60000000000, 3599999999999, 3600000000000, 1500, 1500000, 1500000000, math.MaxInt64, math.MinInt64,
		math.MinInt64 + 1, int64(time.Hour) * 24, int64(time.Hour)*1 + int64(time.Minute)*2 + int64(time.Millisecond)*3500} {
		values = append(values, v)
	}
	for i := 0; i < 2000; i++ {
		var v int64
		switch r.IntN(5) {
		case 0:
			v = r.Int64()
		case 1:
			v = r.Int64N(1_000_000_000)
		case 2:
			v = r.Int64N(1000) * int64([]time.Duration{time.Nanosecond, time.Microsecond, time.Millisecond, time.Second, time.Minute, time.Hour}[r.IntN(6)])
		case 3:
			v = r.Int64N(1 << 53)
		default:
			v = r.Int64N(100_000_000_000_000)
		}
		if r.IntN(4) == 0 {
			v = -v
		}
		values = append(values, v)
	}
	var formatRows []any
	for _, v := range values {
		formatRows = append(formatRows, []any{strconv.FormatInt(v, 10), time.Duration(v).String()})
	}

	units := []string{"ns", "us", "\u00b5s", "\u03bcs", "ms", "s", "m", "h"}
	var inputs []string
	for _, v := range values {
		inputs = append(inputs, time.Duration(v).String())
	}
	for i := 0; i < 1500; i++ {
		var b strings.Builder
		switch r.IntN(5) {
		case 0:
			b.WriteString("-")
		case 1:
			b.WriteString("+")
		}
		parts := 1 + r.IntN(4)
		for j := 0; j < parts; j++ {
			if r.IntN(6) > 0 {
				b.WriteString(strconv.Itoa(r.IntN([]int{10, 1000, 1_000_000, math.MaxInt32}[r.IntN(4)])))
			}
			if r.IntN(3) == 0 {
				b.WriteString(".")
				b.WriteString(digits(r, r.IntN(12)))
			}
			if r.IntN(12) > 0 {
				b.WriteString(units[r.IntN(len(units))])
			} else {
				b.WriteString([]string{"x", "d", "M", "H", "S", "sec", "", "µ", "y"}[r.IntN(9)])
			}
		}
		inputs = append(inputs, b.String())
	}
	inputs = append(inputs, "", "0", "-0", "+0", "00", "0s", "-0s", ".s", "-.s", "1", "1.s", ".1s", "1.0s", "s", "1e3s",
		"9223372036854775807ns", "9223372036854775808ns", "-9223372036854775808ns", "-9223372036854775809ns",
		"2562047h47m16.854775807s", "2562047h47m16.854775808s", "-2562047h47m16.854775808s", "2562048h",
		"0.000000001s", "0.0000000001s", "0.9999999999s", "1.00000000000000000000001s", "1h1h", "1 h", " 1h", "1h ",
		"3.5h", "1.5µs", "1.5\u03bcs", "1\u00b5", "100000000000000000000ns", "1.123456789123456789h",
		"9223372036.854775807s", "9223372036.854775808s", "15250284452.471374024m")
	var parseRows []any
	seen := map[string]bool{}
	for _, s := range inputs {
		if seen[s] {
			continue
		}
		seen[s] = true
		d, err := time.ParseDuration(s)
		if err != nil {
			parseRows = append(parseRows, []any{s, nil, err.Error()})
		} else {
			parseRows = append(parseRows, []any{s, strconv.FormatInt(int64(d), 10)})
		}
	}
	return file{
		comment: header,
		meta: [][2]any{
			{"formatRow", "[nanoseconds, Duration.String()]"},
			{"parseRow", "[input, nanoseconds] or [input, null, error]"},
		},
		sections: []section{{"format", formatRows}, {"parse", parseRows}},
	}
}
