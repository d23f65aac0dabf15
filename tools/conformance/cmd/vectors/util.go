package main

import (
	"math/rand/v2"
	"strconv"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/resourceversion"
	"k8s.io/apimachinery/pkg/util/wait"
)

func utilVectors() file {
	r := rand.New(rand.NewPCG(20260106, 6))
	rvs := []string{"", "0", "00", "01", "1", "2", "9", "10", "11", "99", "100", "101", "-1", "+1", "1a", "a", " 1", "1 ",
		"1.0", "123456789012345678901234567890", "123456789012345678901234567891", "99999999999999999999", "100000000000000000000"}
	for i := 0; i < 300; i++ {
		switch r.IntN(4) {
		case 0:
			rvs = append(rvs, strconv.FormatUint(r.Uint64N(1000), 10))
		case 1:
			rvs = append(rvs, strconv.FormatUint(r.Uint64(), 10))
		case 2:
			rvs = append(rvs, strconv.FormatUint(r.Uint64N(1_000_000_000), 10)+digits(r, r.IntN(20)))
		default:
			rvs = append(rvs, digits(r, 1+r.IntN(6)))
		}
	}
	var rvRows []any
	for i := 0; i < 2000; i++ {
		a := rvs[r.IntN(len(rvs))]
		b := rvs[r.IntN(len(rvs))]
		if r.IntN(8) == 0 {
			b = a
		}
		c, err := resourceversion.CompareResourceVersion(a, b)
		if err != nil {
			rvRows = append(rvRows, []any{a, b, nil, err.Error()})
		} else {
			rvRows = append(rvRows, []any{a, b, c})
		}
	}
	var nnRows []any
	for _, n := range [][2]string{{"", ""}, {"ns", "a"}, {"", "node-1"}, {"kube-system", "coredns"}, {"a/b", "c"}} {
		nnRows = append(nnRows, []any{n[0], n[1], types.NamespacedName{Namespace: n[0], Name: n[1]}.String()})
	}
	// Backoff.Step without jitter: durations in whole milliseconds so the TS (millisecond) port is exact.
	var backoffRows []any
	for i := 0; i < 200; i++ {
		b := wait.Backoff{
			Duration: time.Duration(1+r.IntN(1000)) * time.Millisecond,
			Factor:   []float64{0, 1, 1.5, 2, 3, 0.5, 10}[r.IntN(7)],
			Steps:    r.IntN(12) - 1,
			Cap:      time.Duration(r.IntN(3)*r.IntN(60_000)) * time.Millisecond,
		}
		in := []any{b.Duration.Milliseconds(), b.Factor, b.Steps, b.Cap.Milliseconds()}
		var out []float64
		for j := 0; j < 14; j++ {
			out = append(out, float64(b.Step())/1e6)
		}
		backoffRows = append(backoffRows, []any{in, out, b.Steps, float64(b.Duration) / 1e6})
	}
	return file{
		comment: header,
		meta: [][2]any{
			{"resourceVersionRow", "[a, b, CompareResourceVersion(a, b)] or [a, b, null, error]"},
			{"namespacedNameRow", "[namespace, name, String()]"},
			{"backoffRow", "[[durationMs, factor, steps, capMs], 14 x Step() in ms, Steps after, Duration after in ms]"},
		},
		sections: []section{{"resourceVersion", rvRows}, {"namespacedName", nnRows}, {"backoff", backoffRows}},
	}
}
