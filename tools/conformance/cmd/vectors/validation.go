package main

import (
	"math/rand/v2"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

var validators = []struct {
	name string
	fn   func(string) []string
}{
	{"isDNS1123Label", validation.IsDNS1123Label},
	{"isDNS1123Subdomain", validation.IsDNS1123Subdomain},
	{"isDNS1123SubdomainWithUnderscore", validation.IsDNS1123SubdomainWithUnderscore},
	{"isDNS1035Label", validation.IsDNS1035Label},
	{"isWildcardDNS1123Subdomain", validation.IsWildcardDNS1123Subdomain},
	{"isQualifiedName", validation.IsQualifiedName},
	{"isValidLabelValue", validation.IsValidLabelValue},
	{"isCIdentifier", validation.IsCIdentifier},
	{"isValidPortName", validation.IsValidPortName},
	{"isValidPercent", validation.IsValidPercent},
	{"isHTTPHeaderName", validation.IsHTTPHeaderName},
	{"isEnvVarName", validation.IsEnvVarName},
	{"isRelaxedEnvVarName", validation.IsRelaxedEnvVarName},
	{"isConfigMapKey", validation.IsConfigMapKey},
}

func randomName(r *rand.Rand) string {
	alphabets := []string{
		"abcdefghijklmnopqrstuvwxyz0123456789-",
		"abcdefghijklmnopqrstuvwxyz0123456789-.",
		"abcdefghijklmnopqrstuvwxyz0123456789-._/",
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._/",
		"abc-.",
		"a1-._/*%= Z",
	}
	alphabet := alphabets[r.IntN(len(alphabets))]
	var n int
	switch r.IntN(6) {
	case 0:
		n = r.IntN(4)
	case 1:
		n = 55 + r.IntN(15) // around the 63 limit
	case 2:
		n = 245 + r.IntN(15) // around the 253 limit
	default:
		n = r.IntN(20)
	}
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	s := b.String()
	switch r.IntN(12) {
	case 0:
		s = "*." + s
	case 1:
		s = s + "%"
	case 2:
		s = "_" + s
	case 3:
		s = ".." + s
	}
	return s
}

func validationVectors() file {
	r := rand.New(rand.NewPCG(20260104, 4))
	inputs := []string{"", "a", "A", "0", "-", ".", "..", "...", "_", "*", "*.", "*.a", "*.a.b", "a.b", "a..b", "a-b", "-a", "a-",
		"a_b", "_a", "a/b", "/a", "a/", "a/b/c", "example.com/name", "example.com/", "Example.com/name", "e/_n", "e/n_",
		"my-name", "123-abc", "abc-123", "MyName", "my.name", "my_name", "MY_NAME", "1abc", "a1", "1%", "93%", "%", "1.5%",
		"X-Header-Name", "x header", "my.env-name", "MY_ENV.NAME", "MyEnvName1", "1env", "a=b", "tab\tchar", "caf\u00e9",
		"\u00e9", "\u4e2d\u6587", "port", "p", "1", "a--b", "http", "http-alt", "-http", "http-", "123456789012345",
		"1234567890123456", "abcdefghijklmnop", strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("a", 253),
		strings.Repeat("a", 254), strings.Repeat("a.", 126) + "a", strings.Repeat("a", 62) + "\u00e9", "a/" + strings.Repeat("b", 63),
		"a/" + strings.Repeat("b", 64), strings.Repeat("a", 254) + "/b", "a b", "a\nb", "~", "a~b", "key.name", "KEY_NAME",
		"key-name", "..a", ".a", "a.", "a\u007fb", "a\u00a0b"}
	for i := 0; i < 2500; i++ {
		inputs = append(inputs, randomName(r))
	}
	msgIndex := map[string]int{}
	var messages []string
	var rows []any
	seen := map[string]bool{}
	for _, in := range inputs {
		if seen[in] {
			continue
		}
		seen[in] = true
		row := []any{in}
		for _, v := range validators {
			var idx []int
			for _, m := range v.fn(in) {
				i, ok := msgIndex[m]
				if !ok {
					i = len(messages)
					msgIndex[m] = i
					messages = append(messages, m)
				}
				idx = append(idx, i)
			}
			if idx == nil {
				idx = []int{}
			}
			row = append(row, idx)
		}
		rows = append(rows, row)
	}
	names := make([]string, len(validators))
	for i, v := range validators {
		names[i] = v.name
	}
	msgRows := make([]any, len(messages))
	for i, m := range messages {
		msgRows[i] = m
	}
	return file{
		comment: header,
		meta: [][2]any{
			{"row", "[input, ...for each validator: indexes into messages of the errors returned, in order]"},
			{"validators", names},
		},
		sections: []section{{"messages", msgRows}, {"rows", rows}},
	}
}
