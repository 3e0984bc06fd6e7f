package faults_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/callveil/callveil/faults"
)

// soakFull reports whether the full-size runs were asked for
// (CALLVEIL_SOAK=full); without it every test runs its short CI size.
func soakFull() bool { return os.Getenv("CALLVEIL_SOAK") == "full" }

// builtBinary builds ./cmd/callveil once for the whole test binary: several
// tests run it as a child process. The directory outlives any one test and
// is removed by TestMain.
var builtBinary = sync.OnceValues(func() (string, error) {
	root, err := faults.ModuleRoot()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	return faults.BuildCallveil(ctx, root, binDir, 4)
})

var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "callveil-faults-bin-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func callveilBinary(t *testing.T) string {
	t.Helper()
	bin, err := builtBinary()
	if err != nil {
		t.Fatalf("building callveil: %v", err)
	}
	return bin
}
