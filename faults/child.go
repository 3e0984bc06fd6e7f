package faults

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// BuildCallveil builds ./cmd/callveil of the module rooted at moduleDir into
// dir and returns the binary's path. Colleagues edit cmd/callveil while the
// suite runs, so a failed build is retried (every 20s, up to attempts times)
// before it is reported.
func BuildCallveil(ctx context.Context, moduleDir, dir string, attempts int) (string, error) {
	bin := filepath.Join(dir, "callveil")
	var last error
	for i := 0; i < max(attempts, 1); i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return "", ctx.Err()
			case <-time.After(20 * time.Second):
			}
		}
		cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/callveil")
		cmd.Dir = moduleDir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			last = fmt.Errorf("go build ./cmd/callveil: %w\n%s", err, out.String())
			continue
		}
		// A build can succeed while a flag definition is broken (kong
		// panics at parse time): check the binary starts.
		if err := probeBinary(ctx, bin); err != nil {
			last = err
			continue
		}
		return bin, nil
	}
	return "", last
}

func probeBinary(ctx context.Context, bin string) error {
	cmd := exec.CommandContext(ctx, bin, "run", "--help")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("callveil run --help: %w\n%s", err, out.String())
	}
	return nil
}

// ModuleRoot finds the directory holding go.mod, walking up from the
// working directory (a test runs in its package directory).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("faults: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Child is one callveil process. Its stderr goes to a log file; a sampler
// owned by the Child reads the kernel's peak-RSS figure (VmHWM) while it
// runs, since the figure disappears with the process.
type Child struct {
	cmd     *exec.Cmd
	logPath string
	done    chan struct{}
	waitErr error

	mu      sync.Mutex
	peakKiB int64
}

// StartChild starts bin with args and the extra environment env, appending
// its stdout and stderr to logPath.
func StartChild(bin string, args, env []string, logPath string) (*Child, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(childEnviron(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	c := &Child{cmd: cmd, logPath: logPath, done: make(chan struct{})}
	stopSampling := make(chan struct{})
	var samplerWG sync.WaitGroup
	samplerWG.Add(1)
	go func() {
		defer samplerWG.Done()
		c.sample(stopSampling)
	}()
	go func() {
		c.waitErr = cmd.Wait()
		close(stopSampling)
		samplerWG.Wait()
		logf.Close()
		close(c.done)
	}()
	return c, nil
}

func (c *Child) sample(stop <-chan struct{}) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		if kib, ok := readVmHWM(c.cmd.Process.Pid); ok {
			c.mu.Lock()
			c.peakKiB = max(c.peakKiB, kib)
			c.mu.Unlock()
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// childEnviron is the test's environment without anything that would
// configure callveil behind the scenario's back (CALLVEIL_*, a HubSpot
// token, S3 credentials).
func childEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "CALLVEIL_") || strings.HasPrefix(kv, "HUBSPOT_") || strings.HasPrefix(kv, "AWS_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// readVmHWM reads the peak resident set size (KiB) of pid.
func readVmHWM(pid int) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				return 0, false
			}
			n, err := strconv.ParseInt(f[0], 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// Pid is the process id.
func (c *Child) Pid() int { return c.cmd.Process.Pid }

// PeakRSSKiB is the highest VmHWM seen so far.
func (c *Child) PeakRSSKiB() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peakKiB
}

// Done is closed when the process has exited.
func (c *Child) Done() <-chan struct{} { return c.done }

// Exited reports whether the process has exited, and its Wait error.
func (c *Child) Exited() (bool, error) {
	select {
	case <-c.done:
		return true, c.waitErr
	default:
		return false, nil
	}
}

// Kill sends SIGKILL and waits for the process to be gone.
func (c *Child) Kill() {
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
}

// Stop sends SIGTERM (graceful shutdown: drain, final commit, sinks
// closed) and waits up to timeout, then kills. It returns the exit error;
// a process that had to be killed is an error.
func (c *Child) Stop(timeout time.Duration) error {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
		return c.waitErr
	case <-time.After(timeout):
		c.Kill()
		return fmt.Errorf("callveil pid %d did not stop within %s after SIGTERM", c.Pid(), timeout)
	}
}

// LogTail returns the last n bytes of the child's log (for failure messages).
func (c *Child) LogTail(n int) string { return fileTail(c.logPath, n) }

func fileTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
