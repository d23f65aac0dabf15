// Command crosscheck decodes objects that kubets encoded (protobuf with the `k8s\0` envelope, and
// JSON) with the real k8s.io/api types and compares them with the original fixture decoded by Go.
//
// It reads a manifest written by packages/api/test/go-crosscheck.test.ts:
//
//	{"fixtures": [{"name": "core.v1.Pod", "group": "", "version": "v1", "kind": "Pod",
//	  "original": "/abs/path/core.v1.Pod.json", "protobuf": "core.v1.Pod.pb", "json": "core.v1.Pod.json"}]}
//
// (protobuf and json relative to the manifest's folder) and prints one JSON report on stdout:
// per fixture whether each kubets encoding decodes to an object semantically equal to the
// original, with a diff where it does not. It exits 0 whatever the comparisons give (the test
// asserts on the report) and 2 when the manifest cannot be read.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/google/go-cmp/cmp"
	admissionv1 "k8s.io/api/admission/v1"
	admissionv1beta1 "k8s.io/api/admission/v1beta1"
	apidiscoveryv2 "k8s.io/api/apidiscovery/v2"
	apidiscoveryv2beta1 "k8s.io/api/apidiscovery/v2beta1"
	imagepolicyv1alpha1 "k8s.io/api/imagepolicy/v1alpha1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensionsv1beta1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1beta1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	jsonserializer "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/runtime/serializer/protobuf"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	apiregistrationv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
	apiregistrationv1beta1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1beta1"
)

type fixture struct {
	Name     string `json:"name"`
	Group    string `json:"group"`
	Version  string `json:"version"`
	Kind     string `json:"kind"`
	Original string `json:"original"`
	Protobuf string `json:"protobuf"`
	JSON     string `json:"json"`
}

type manifest struct {
	Fixtures []fixture `json:"fixtures"`
}

// check is the outcome of decoding one kubets encoding: "ok", "mismatch" or "error".
type check struct {
	Status string `json:"status"`
	Diff   string `json:"diff,omitempty"`
	Error  string `json:"error,omitempty"`
}

type result struct {
	Name     string `json:"name"`
	GVK      string `json:"gvk"`
	Equal    bool   `json:"equal"`
	Error    string `json:"error,omitempty"`
	Protobuf *check `json:"protobuf,omitempty"`
	JSON     *check `json:"json,omitempty"`
	// SameBytes: kubets' protobuf bytes are identical to Go's encoding of the original object.
	SameBytes bool `json:"sameBytes"`
}

type report struct {
	Total   int      `json:"total"`
	Equal   int      `json:"equal"`
	Results []result `json:"results"`
}

// newScheme registers every group-version with fixtures: client-go's clientset scheme, the
// k8s.io/api groups it does not serve (admission, imagepolicy, apidiscovery), apiextensions and
// apiregistration.
func newScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	adders := []func(*runtime.Scheme) error{
		clientgoscheme.AddToScheme,
		admissionv1.AddToScheme, admissionv1beta1.AddToScheme,
		imagepolicyv1alpha1.AddToScheme,
		apidiscoveryv2.AddToScheme, apidiscoveryv2beta1.AddToScheme,
		apiextensionsv1.AddToScheme, apiextensionsv1beta1.AddToScheme,
		apiregistrationv1.AddToScheme, apiregistrationv1beta1.AddToScheme,
	}
	for _, add := range adders {
		if err := add(s); err != nil {
			panic(err)
		}
	}
	return s
}

type checker struct {
	scheme *runtime.Scheme
	json   *jsonserializer.Serializer
	strict *jsonserializer.Serializer
	proto  *protobuf.Serializer
}

func newChecker() *checker {
	s := newScheme()
	return &checker{
		scheme: s,
		json:   jsonserializer.NewSerializerWithOptions(jsonserializer.DefaultMetaFactory, s, s, jsonserializer.SerializerOptions{}),
		// kubets' JSON must also be free of unknown and duplicate fields.
		strict: jsonserializer.NewSerializerWithOptions(jsonserializer.DefaultMetaFactory, s, s, jsonserializer.SerializerOptions{Strict: true}),
		proto:  protobuf.NewSerializer(s, s),
	}
}

type decoder interface {
	Decode(data []byte, defaults *schema.GroupVersionKind, into runtime.Object) (runtime.Object, *schema.GroupVersionKind, error)
}

func (c *checker) decode(d decoder, data []byte, gvk schema.GroupVersionKind) (runtime.Object, error) {
	into, err := c.scheme.New(gvk)
	if err != nil {
		return nil, err
	}
	obj, got, err := d.Decode(data, &gvk, into)
	if err != nil {
		return nil, err
	}
	if got != nil && *got != gvk {
		return nil, fmt.Errorf("decoded as %s, want %s", got, gvk)
	}
	return obj, nil
}

// compare decodes one kubets encoding and compares it with the original object.
func (c *checker) compare(d decoder, path string, gvk schema.GroupVersionKind, want runtime.Object) *check {
	data, err := os.ReadFile(path)
	if err != nil {
		return &check{Status: "error", Error: err.Error()}
	}
	got, err := c.decode(d, data, gvk)
	if err != nil {
		return &check{Status: "error", Error: err.Error()}
	}
	if !apiequality.Semantic.DeepEqual(want, got) {
		return &check{Status: "mismatch", Diff: diff(want, got)}
	}
	return &check{Status: "ok"}
}

// diff is cmp.Diff (- original, + kubets); should cmp refuse a type, the first differing field path.
func diff(want, got any) (out string) {
	defer func() {
		if r := recover(); r != nil {
			out = "differs at " + firstDifference(reflect.ValueOf(want), reflect.ValueOf(got), "")
		}
	}()
	return cmp.Diff(want, got)
}

func firstDifference(a, b reflect.Value, path string) string {
	if !a.IsValid() || !b.IsValid() || a.Type() != b.Type() {
		return path + " (type or presence)"
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path + " (nil vs set)"
			}
			return ""
		}
		return firstDifference(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if p := firstDifference(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
				return p
			}
		}
		return ""
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s (length %d vs %d)", path, a.Len(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if p := firstDifference(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
		return ""
	case reflect.Map:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s (size %d vs %d)", path, a.Len(), b.Len())
		}
		for _, k := range a.MapKeys() {
			if p := firstDifference(a.MapIndex(k), b.MapIndex(k), fmt.Sprintf("%s[%v]", path, k)); p != "" {
				return p
			}
		}
		return ""
	default:
		if a.CanInterface() && b.CanInterface() && !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return fmt.Sprintf("%s (%v vs %v)", path, a.Interface(), b.Interface())
		}
		if !a.CanInterface() && a.String() != b.String() {
			return path
		}
		return ""
	}
}

func (c *checker) run(dir string, f fixture) result {
	gvk := schema.GroupVersionKind{Group: f.Group, Version: f.Version, Kind: f.Kind}
	r := result{Name: f.Name, GVK: gvk.String()}
	data, err := os.ReadFile(f.Original)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	// As k8s.io/apimachinery's compatibility test: the fixtures are indented, and a RawExtension
	// keeps its bytes verbatim, so the reference is decoded from the compacted file.
	var compacted bytes.Buffer
	if err := json.Compact(&compacted, data); err != nil {
		r.Error = "original fixture: " + err.Error()
		return r
	}
	want, err := c.decode(c.json, compacted.Bytes(), gvk)
	if err != nil {
		r.Error = "original fixture: " + err.Error()
		return r
	}
	r.Protobuf = c.compare(c.proto, filepath.Join(dir, f.Protobuf), gvk, want)
	r.JSON = c.compare(c.strict, filepath.Join(dir, f.JSON), gvk, want)
	r.Equal = r.Protobuf.Status == "ok" && r.JSON.Status == "ok"
	var goBytes bytes.Buffer
	if err := c.proto.Encode(want, &goBytes); err == nil {
		if ours, err := os.ReadFile(filepath.Join(dir, f.Protobuf)); err == nil {
			r.SameBytes = bytes.Equal(ours, goBytes.Bytes())
		}
	}
	return r
}

func main() {
	path := flag.String("manifest", "", "manifest.json written by the kubets side")
	only := flag.String("only", "", "check only these fixtures (comma-separated names, e.g. core.v1.Pod)")
	flag.Parse()
	if *path == "" {
		fmt.Fprintln(os.Stderr, "crosscheck: -manifest is required")
		os.Exit(2)
	}
	raw, err := os.ReadFile(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crosscheck:", err)
		os.Exit(2)
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		fmt.Fprintf(os.Stderr, "crosscheck: %s: %v\n", *path, err)
		os.Exit(2)
	}
	c := newChecker()
	dir := filepath.Dir(*path)
	var wanted map[string]bool
	if *only != "" {
		wanted = map[string]bool{}
		for _, n := range strings.Split(*only, ",") {
			wanted[strings.TrimSpace(n)] = true
		}
	}
	rep := report{Results: []result{}}
	for _, f := range m.Fixtures {
		if wanted != nil && !wanted[f.Name] {
			continue
		}
		r := c.run(dir, f)
		rep.Total++
		if r.Equal {
			rep.Equal++
		}
		rep.Results = append(rep.Results, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintln(os.Stderr, "crosscheck:", err)
		os.Exit(2)
	}
}
