package faults

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// StaleMemberReaper works around a bug of the embedded broker (kfake): a
// classic consumer-group member whose JoinGroup answer cannot be sent,
// because its process was killed while the coordinator held the join back
// for a rebalance, stays in the group without a session timer (kfake's
// group.reply arms the timer only after a successful send). It never
// expires and keeps its partitions for ever, so the group stops reading
// them. A real broker expires such a member after its session timeout.
//
// The reaper does what that timeout would: every second it describes the
// group and removes, with a LeaveGroup on its behalf, any member that has
// had no established TCP connection from its client address for longer
// than Grace (Linux: /proc/net/tcp). A live member whose coordinator
// connection was replaced may be removed too; it then rejoins, which is
// one more rebalance, nothing worse. The crash loop runs it on its crash
// group and reports how many members it removed.
type StaleMemberReaper struct {
	Client *kgo.Client
	Group  string
	// Grace is how long a member may be without a connection; it should
	// exceed the members' session timeout so the broker acts first
	// wherever it can.
	Grace time.Duration
	Logf  func(format string, args ...any)

	removed atomic.Int64
}

// Removed is the number of members removed so far.
func (r *StaleMemberReaper) Removed() int { return int(r.removed.Load()) }

// Run reaps until ctx ends.
func (r *StaleMemberReaper) Run(ctx context.Context) {
	missingSince := map[string]time.Time{}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		members, err := r.members(ctx)
		if err != nil {
			continue
		}
		open, err := establishedLocalPorts()
		if err != nil {
			continue
		}
		now := time.Now()
		seen := map[string]bool{}
		for id, host := range members {
			seen[id] = true
			if _, port, err := net.SplitHostPort(host); err == nil && open[port] {
				delete(missingSince, id)
				continue
			}
			first, ok := missingSince[id]
			if !ok {
				missingSince[id] = now
				continue
			}
			if now.Sub(first) < r.Grace {
				continue
			}
			if err := r.leave(ctx, id); err == nil {
				r.removed.Add(1)
				delete(missingSince, id)
				if r.Logf != nil {
					r.Logf("reaper: removed a member of group %s without a connection for %s (kfake keeps it for ever)", r.Group, now.Sub(first).Round(time.Second))
				}
			}
		}
		for id := range missingSince {
			if !seen[id] {
				delete(missingSince, id)
			}
		}
	}
}

// members returns the group's member ids with their client addresses.
func (r *StaleMemberReaper) members(ctx context.Context) (map[string]string, error) {
	req := kmsg.NewPtrDescribeGroupsRequest()
	req.Groups = []string{r.Group}
	resp, err := req.RequestWith(ctx, r.Client)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, g := range resp.Groups {
		if g.ErrorCode != 0 {
			return nil, fmt.Errorf("describe group: error code %d", g.ErrorCode)
		}
		for _, m := range g.Members {
			out[m.MemberID] = m.ClientHost
		}
	}
	return out, nil
}

func (r *StaleMemberReaper) leave(ctx context.Context, memberID string) error {
	req := kmsg.NewPtrLeaveGroupRequest()
	req.Group = r.Group
	req.MemberID = memberID
	m := kmsg.NewLeaveGroupRequestMember()
	m.MemberID = memberID
	req.Members = []kmsg.LeaveGroupRequestMember{m}
	resp, err := req.RequestWith(ctx, r.Client)
	if err != nil {
		return err
	}
	if resp.ErrorCode != 0 {
		return fmt.Errorf("leave group: error code %d", resp.ErrorCode)
	}
	return nil
}

// establishedLocalPorts returns the local ports (decimal strings) of every
// established TCP connection of this machine's network namespace.
func establishedLocalPorts() (map[string]bool, error) {
	out := map[string]bool{}
	for _, path := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(path)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 4 || fields[3] != "01" { // 01: ESTABLISHED
				continue
			}
			_, hexPort, ok := strings.Cut(fields[1], ":")
			if !ok {
				continue
			}
			if port, err := strconv.ParseUint(hexPort, 16, 16); err == nil {
				out[strconv.FormatUint(port, 10)] = true
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
