// Command clientgo is the client-go side of kubets' peer benchmark (bench/peers.bench.ts): one
// measurement per process, against the kube-apiserver named by a kubeconfig, printed as one JSON line.
//
//	clientgo -kubeconfig FILE -context NAME -mode MODE [flags]
//
// Modes: list (first LIST of a namespace's pods in a fresh process), gets (sequential GETs of one
// ConfigMap after a warm-up pass), watch (count MODIFIED events of a ConfigMap watch from a
// resourceVersion; with -ready it prints "ready" once the watch is open, for a live, server-paced
// stream), informer (a shared Pod informer's initial sync: list+watch, or the streaming list when
// KUBE_FEATURE_WatchListClient=true, client-go's default), metalist (LIST through the metadata
// client), firstget (config + one GET, for the process start to first GET figure).
// The rate limiter is off (QPS -1) and the content type is protobuf, as a controller would run.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
)

type result struct {
	WallMs       float64 `json:"wallMs"`
	CPUMs        float64 `json:"cpuMs"`
	Count        int     `json:"count"`
	HeapBytes    uint64  `json:"heapBytes,omitempty"`
	RSSBytes     uint64  `json:"rssBytes,omitempty"`
	PeakRSSBytes uint64  `json:"peakRssBytes,omitempty"`
}

func cpuMs() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}

// procStatus reads a "VmRSS"-style line of /proc/self/status, in bytes.
func procStatus(field string) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			f := strings.Fields(line[len(field)+1:])
			if len(f) > 0 {
				kb, _ := strconv.ParseUint(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "clientgo: "+format+"\n", args...)
	os.Exit(1)
}

func emit(r result) {
	b, _ := json.Marshal(r)
	fmt.Println(string(b))
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file")
	kcontext := flag.String("context", "", "kubeconfig context")
	mode := flag.String("mode", "", "list | gets | watch | informer | metalist | firstget")
	ns := flag.String("namespace", "default", "namespace")
	name := flag.String("name", "", "object name (gets, firstget)")
	n := flag.Int("n", 1000, "GETs, or events to count (watch)")
	rv := flag.String("rv", "", "resourceVersion to watch from")
	ready := flag.Bool("ready", false, "watch: print \"ready\" once the watch is open")
	warm := flag.Int("warm", 0, "watch: events counted before the measurement starts")
	expect := flag.Int("expect", 0, "list/informer: objects expected")
	flag.Parse()

	config, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: *kubeconfig},
		&clientcmd.ConfigOverrides{CurrentContext: *kcontext},
	).ClientConfig()
	if err != nil {
		fail("kubeconfig: %v", err)
	}
	config.QPS = -1
	config.ContentType = "application/vnd.kubernetes.protobuf"
	config.AcceptContentTypes = "application/vnd.kubernetes.protobuf,application/json"
	ctx := context.Background()

	if *mode == "metalist" {
		mc, err := metadata.NewForConfig(config)
		if err != nil {
			fail("metadata client: %v", err)
		}
		pods := mc.Resource(schema.GroupVersionResource{Version: "v1", Resource: "pods"}).Namespace(*ns)
		if _, err := pods.List(ctx, metav1.ListOptions{Limit: 1}); err != nil { // connection and codecs warm
			fail("list: %v", err)
		}
		c0, t0 := cpuMs(), time.Now()
		l, err := pods.List(ctx, metav1.ListOptions{})
		if err != nil {
			fail("list: %v", err)
		}
		emit(result{WallMs: ms(time.Since(t0)), CPUMs: cpuMs() - c0, Count: len(l.Items)})
		return
	}

	cs, err := kubernetes.NewForConfig(config)
	if err != nil {
		fail("clientset: %v", err)
	}
	switch *mode {
	case "firstget":
		if _, err := cs.CoreV1().ConfigMaps(*ns).Get(ctx, *name, metav1.GetOptions{}); err != nil {
			fail("get: %v", err)
		}
		emit(result{Count: 1})
	case "list":
		c0, t0 := cpuMs(), time.Now()
		l, err := cs.CoreV1().Pods(*ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			fail("list: %v", err)
		}
		r := result{WallMs: ms(time.Since(t0)), CPUMs: cpuMs() - c0, Count: len(l.Items)}
		if *expect > 0 && r.Count != *expect {
			fail("listed %d pods, expected %d", r.Count, *expect)
		}
		emit(r)
	case "gets":
		cms := cs.CoreV1().ConfigMaps(*ns)
		for i := 0; i < *n; i++ { // warm-up pass: connection, codecs
			if _, err := cms.Get(ctx, *name, metav1.GetOptions{}); err != nil {
				fail("get: %v", err)
			}
		}
		c0, t0 := cpuMs(), time.Now()
		for i := 0; i < *n; i++ {
			if _, err := cms.Get(ctx, *name, metav1.GetOptions{}); err != nil {
				fail("get: %v", err)
			}
		}
		emit(result{WallMs: ms(time.Since(t0)), CPUMs: cpuMs() - c0, Count: *n})
	case "watch":
		c0, t0 := cpuMs(), time.Now()
		w, err := cs.CoreV1().ConfigMaps(*ns).Watch(ctx, metav1.ListOptions{ResourceVersion: *rv, AllowWatchBookmarks: false})
		if err != nil {
			fail("watch: %v", err)
		}
		defer w.Stop()
		if *ready {
			fmt.Println("ready")
			c0, t0 = cpuMs(), time.Now()
		}
		seen, warming := 0, *warm
		for ev := range w.ResultChan() {
			if ev.Type == watch.Error {
				fail("watch error: %v", ev.Object)
			}
			if ev.Type != watch.Modified {
				continue
			}
			if cm, ok := ev.Object.(*corev1.ConfigMap); !ok || cm.Data["n"] == "" {
				continue
			}
			if warming > 0 {
				warming--
				if warming == 0 {
					c0, t0 = cpuMs(), time.Now()
				}
				continue
			}
			seen++
			if seen == *n {
				emit(result{WallMs: ms(time.Since(t0)), CPUMs: cpuMs() - c0, Count: seen})
				return
			}
		}
		fail("watch ended after %d events", seen)
	case "informer":
		factory := informers.NewSharedInformerFactoryWithOptions(cs, 0, informers.WithNamespace(*ns))
		inf := factory.Core().V1().Pods().Informer()
		added := 0
		if _, err := inf.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: func(any) { added++ }}); err != nil {
			fail("handler: %v", err)
		}
		stop := make(chan struct{})
		c0, t0 := cpuMs(), time.Now()
		factory.Start(stop)
		if !cache.WaitForCacheSync(stop, inf.HasSynced) {
			fail("informer did not sync")
		}
		wall, cpu := ms(time.Since(t0)), cpuMs()-c0
		count := len(inf.GetStore().ListKeys())
		if *expect > 0 && count != *expect {
			fail("informer holds %d pods, expected %d", count, *expect)
		}
		runtime.GC()
		debug.FreeOSMemory()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		emit(result{WallMs: wall, CPUMs: cpu, Count: count, HeapBytes: m.HeapAlloc, RSSBytes: procStatus("VmRSS"), PeakRSSBytes: procStatus("VmHWM")})
		close(stop)
		factory.Shutdown()
	default:
		fail("unknown -mode %q", *mode)
	}
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
