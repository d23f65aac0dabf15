// Command typeinfo reflects over every Kubernetes API type registered in the built-in schemes
// (client-go's kubernetes scheme, apiextensions-apiserver and kube-aggregator) and every struct
// they reach, and writes the Go facts that neither the .proto files nor OpenAPI record: each
// field's JSON name, omitempty/omitzero, pointer-ness, inline embedding, slice/map shape, Go type
// and protobuf tag. The TypeScript generator in tools/codegen reads the JSON it writes.
//
// Usage: go run . > ../../data/typeinfo.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	admissionv1 "k8s.io/api/admission/v1"
	admissionv1beta1 "k8s.io/api/admission/v1beta1"
	apidiscoveryv2 "k8s.io/api/apidiscovery/v2"
	apidiscoveryv2beta1 "k8s.io/api/apidiscovery/v2beta1"
	imagepolicyv1alpha1 "k8s.io/api/imagepolicy/v1alpha1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensionsv1beta1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1beta1 "k8s.io/apimachinery/pkg/apis/meta/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/scheme"
	apiregistrationv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
	apiregistrationv1beta1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1beta1"
)

// TypeRef describes a Go type as a field sees it.
type TypeRef struct {
	// Kind is reflect's kind name: string, bool, int32, int64, float64, struct, slice, map, interface, uint8...
	Kind string `json:"kind"`
	// Go is the qualified Go type name ("k8s.io/api/core/v1.PodSpec"), or the builtin name.
	Go string `json:"go"`
	// Pointer is true for *T.
	Pointer bool `json:"pointer,omitempty"`
	// Named is the OpenAPI-style name of a named struct or named scalar type, when it has one.
	Named string `json:"named,omitempty"`
	// Elem describes a slice's or map's element.
	Elem *TypeRef `json:"elem,omitempty"`
	// Key describes a map's key.
	Key *TypeRef `json:"key,omitempty"`
	// CustomJSON is true when the type marshals itself to JSON (Time, Quantity, IntOrString, ...).
	CustomJSON bool `json:"customJSON,omitempty"`
	// CustomProto is true when the type marshals itself to protobuf by hand.
	CustomProto bool `json:"customProto,omitempty"`
}

// Field is one struct field.
type Field struct {
	GoName    string `json:"goName"`
	JSON      string `json:"json"`
	OmitEmpty bool   `json:"omitempty,omitempty"`
	OmitZero  bool   `json:"omitzero,omitempty"`
	Inline    bool   `json:"inline,omitempty"`
	Embedded  bool   `json:"embedded,omitempty"`
	Skip      bool   `json:"skip,omitempty"`
	Protobuf  string `json:"protobuf,omitempty"`
	// PatchStrategy and PatchMergeKey are the strategic merge patch struct tags.
	PatchStrategy string  `json:"patchStrategy,omitempty"`
	PatchMergeKey string  `json:"patchMergeKey,omitempty"`
	Type          TypeRef `json:"type"`
}

// Struct is one Go struct type.
type Struct struct {
	Go     string  `json:"go"`
	Proto  string  `json:"proto"`
	Fields []Field `json:"fields"`
	// CustomJSON / CustomProto as in TypeRef.
	CustomJSON  bool `json:"customJSON,omitempty"`
	CustomProto bool `json:"customProto,omitempty"`
}

// Kind is one registered kind.
type Kind struct {
	Group   string `json:"group"`
	Version string `json:"version"`
	Kind    string `json:"kind"`
	Type    string `json:"type"`
}

type Output struct {
	Comment string             `json:"//"`
	Kinds   []Kind             `json:"kinds"`
	Structs map[string]*Struct `json:"structs"`
}

var (
	jsonMarshaler  = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	protoMarshaler = reflect.TypeOf((*interface{ Marshal() ([]byte, error) })(nil)).Elem()
)

// openAPIName maps a Go package path and type name to the OpenAPI definition name
// (k8s.io/api/core/v1.Pod -> io.k8s.api.core.v1.Pod).
func openAPIName(t reflect.Type) string {
	pkg := t.PkgPath()
	if pkg == "" {
		return ""
	}
	parts := strings.SplitN(pkg, "/", 2)
	host := strings.Split(parts[0], ".")
	for i, j := 0, len(host)-1; i < j; i, j = i+1, j-1 {
		host[i], host[j] = host[j], host[i]
	}
	rest := ""
	if len(parts) == 2 {
		rest = "." + strings.ReplaceAll(parts[1], "/", ".")
	}
	return strings.Join(host, ".") + rest + "." + t.Name()
}

// protoName maps a Go type to its protobuf message name (k8s.io/api/core/v1.Pod -> k8s.io.api.core.v1.Pod).
func protoName(t reflect.Type) string {
	return strings.ReplaceAll(t.PkgPath(), "/", ".") + "." + t.Name()
}

func qualified(t reflect.Type) string {
	if t.PkgPath() == "" {
		return t.String()
	}
	return t.PkgPath() + "." + t.Name()
}

type walker struct {
	structs map[string]*Struct
	queue   []reflect.Type
}

func (w *walker) ref(t reflect.Type) TypeRef {
	r := TypeRef{}
	if t.Kind() == reflect.Pointer {
		r.Pointer = true
		t = t.Elem()
	}
	r.Kind = t.Kind().String()
	r.Go = qualified(t)
	if t.Name() != "" && t.PkgPath() != "" {
		r.Named = openAPIName(t)
	}
	r.CustomJSON = t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler)
	r.CustomProto = hasHandProto(t)
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		e := w.ref(t.Elem())
		r.Elem = &e
	case reflect.Map:
		k := w.ref(t.Key())
		e := w.ref(t.Elem())
		r.Key = &k
		r.Elem = &e
	case reflect.Struct:
		w.add(t)
	}
	return r
}

// hasHandProto reports types whose protobuf form is not the generated one for their fields.
func hasHandProto(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	// Types with hand-written protobuf marshalling in apimachinery.
	_, ok := reflect.PointerTo(t).MethodByName("ProtoTime")
	if ok {
		return true
	}
	switch qualified(t) {
	case "k8s.io/apimachinery/pkg/api/resource.Quantity",
		"k8s.io/apimachinery/pkg/util/intstr.IntOrString",
		"k8s.io/apimachinery/pkg/apis/meta/v1.Time",
		"k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime",
		"k8s.io/apimachinery/pkg/apis/meta/v1.Duration":
		return true
	}
	return false
}

func (w *walker) add(t reflect.Type) {
	if t.Kind() != reflect.Struct || t.Name() == "" {
		return
	}
	name := openAPIName(t)
	if _, ok := w.structs[name]; ok {
		return
	}
	s := &Struct{Go: qualified(t), Proto: protoName(t), Fields: []Field{}}
	s.CustomJSON = t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler)
	s.CustomProto = hasHandProto(t)
	w.structs[name] = s
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		fd := Field{GoName: f.Name, Embedded: f.Anonymous, Protobuf: f.Tag.Get("protobuf"), PatchStrategy: f.Tag.Get("patchStrategy"), PatchMergeKey: f.Tag.Get("patchMergeKey")}
		tag, hasTag := f.Tag.Lookup("json")
		opts := strings.Split(tag, ",")
		fd.JSON = opts[0]
		for _, o := range opts[1:] {
			switch o {
			case "omitempty":
				fd.OmitEmpty = true
			case "omitzero":
				fd.OmitZero = true
			case "inline":
				fd.Inline = true
			}
		}
		if fd.JSON == "-" && len(opts) == 1 {
			fd.Skip = true
		}
		if !hasTag {
			fd.JSON = f.Name
		}
		// encoding/json flattens an anonymous struct field that has no JSON name.
		if f.Anonymous && opts[0] == "" {
			fd.Inline = true
			fd.JSON = ""
		}
		fd.Type = w.ref(f.Type)
		s.Fields = append(s.Fields, fd)
	}
}

func main() {
	roots := runtime.NewScheme()
	must(scheme.AddToScheme(roots))
	// Groups of k8s.io/api that client-go's scheme leaves out (webhook payloads, discovery documents).
	must(admissionv1.AddToScheme(roots))
	must(admissionv1beta1.AddToScheme(roots))
	must(apidiscoveryv2.AddToScheme(roots))
	must(apidiscoveryv2beta1.AddToScheme(roots))
	must(imagepolicyv1alpha1.AddToScheme(roots))
	must(apiextensionsv1.AddToScheme(roots))
	must(apiextensionsv1beta1.AddToScheme(roots))
	must(apiregistrationv1.AddToScheme(roots))
	must(apiregistrationv1beta1.AddToScheme(roots))
	must(metav1.AddMetaToScheme(roots))
	must(metav1beta1.AddMetaToScheme(roots))
	metav1.AddToGroupVersion(roots, schema.GroupVersion{Version: "v1"})

	w := &walker{structs: map[string]*Struct{}}
	out := Output{
		Comment: "Generated by tools/codegen/go/typeinfo from the Go types of Kubernetes. DO NOT EDIT.",
		Structs: w.structs,
	}
	for gvk, t := range roots.AllKnownTypes() {
		if gvk.Version == runtime.APIVersionInternal {
			continue
		}
		out.Kinds = append(out.Kinds, Kind{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind, Type: openAPIName(t)})
		w.add(t)
	}
	// Types every API server serves that are not registered as kinds of a group.
	for _, v := range []any{
		metav1.Status{}, metav1.APIGroupList{}, metav1.APIGroup{}, metav1.APIVersions{}, metav1.APIResourceList{},
		metav1.WatchEvent{}, metav1.Table{}, metav1.PartialObjectMetadataList{}, metav1.List{},
		runtime.Unknown{}, runtime.RawExtension{}, runtime.TypeMeta{},
	} {
		w.add(reflect.TypeOf(v))
	}
	sort.Slice(out.Kinds, func(i, j int) bool {
		a, b := out.Kinds[i], out.Kinds[j]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.Kind < b.Kind
	})
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	must(enc.Encode(out))
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
