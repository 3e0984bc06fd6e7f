package objectstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/callveil/callveil/internal/atomicfile"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/lifecycle"
)

// Object is one stored object, as listings report it.
type Object struct {
	Key          string
	Size         int64
	LastModified time.Time
}

// blobStore is the little the sink needs from a backend: whole-object
// put (an atomic replace), get and a listing.
type blobStore interface {
	put(ctx context.Context, key string, data []byte, contentType string) error
	// get returns errNotFound when the key does not exist.
	get(ctx context.Context, key string) ([]byte, error)
	list(ctx context.Context, prefix string) ([]Object, error)
}

var errNotFound = errors.New("objectstore: object not found")

// s3Store talks the S3 protocol through minio-go.
type s3Store struct {
	client *minio.Client
	bucket string
}

func newS3Store(cfg Config) (*s3Store, error) {
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.Credentials.AccessKeyID, cfg.Credentials.SecretAccessKey, cfg.Credentials.SessionToken),
		Secure: !cfg.Insecure,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: endpoint not usable", ErrInvalidConfig)
	}
	return &s3Store{client: client, bucket: cfg.Bucket}, nil
}

// classify turns an S3 error into a *sinks.FatalError when retrying cannot
// help (credentials, permissions, a missing bucket); other errors are
// returned wrapped so that the pipeline backs off and retries.
func classify(op string, err error) error {
	switch minio.ToErrorResponse(err).Code {
	case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken":
		return fatal(op + ": access denied by the object store (check credentials and permissions)")
	case "NoSuchBucket":
		return fatal(op + ": bucket does not exist")
	}
	return fmt.Errorf("objectstore: %s: %w", op, err)
}

func (s *s3Store) ensureBucket(ctx context.Context, region string) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return classify("check bucket", err)
	}
	if ok {
		return nil
	}
	if err := s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: region}); err != nil {
		if code := minio.ToErrorResponse(err).Code; code == "BucketAlreadyOwnedByYou" {
			return nil // created by another writer meanwhile
		}
		return classify("create bucket", err)
	}
	return nil
}

// retentionRuleID names callveil's lifecycle rule; other rules on the
// bucket are left as they are.
const retentionRuleID = "callveil-aggregates-retention"

// ensureRetention installs (or updates) the lifecycle rule expiring
// objects under dataPrefix after days, keeping the bucket's other rules.
func (s *s3Store) ensureRetention(ctx context.Context, dataPrefix string, days int) error {
	cfg, err := s.client.GetBucketLifecycle(ctx, s.bucket)
	if err != nil {
		if minio.ToErrorResponse(err).Code != "NoSuchLifecycleConfiguration" {
			return classify("read lifecycle", err)
		}
		cfg = lifecycle.NewConfiguration()
	}
	rule := lifecycle.Rule{
		ID:         retentionRuleID,
		Status:     "Enabled",
		RuleFilter: lifecycle.Filter{Prefix: dataPrefix},
		Expiration: lifecycle.Expiration{Days: lifecycle.ExpirationDays(days)},
	}
	rules := cfg.Rules[:0]
	for _, r := range cfg.Rules {
		if r.ID != retentionRuleID {
			rules = append(rules, r)
		}
	}
	cfg.Rules = append(rules, rule)
	if err := s.client.SetBucketLifecycle(ctx, s.bucket, cfg); err != nil {
		return classify("set lifecycle", err)
	}
	return nil
}

func (s *s3Store) put(ctx context.Context, key string, data []byte, contentType string) error {
	_, err := s.client.PutObject(ctx, s.bucket, key, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: contentType, SendContentMd5: true})
	if err != nil {
		return classify("put object", err)
	}
	return nil
}

func (s *s3Store) get(ctx context.Context, key string) ([]byte, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, classify("get object", err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return nil, errNotFound
		}
		return nil, classify("get object", err)
	}
	return b, nil
}

func (s *s3Store) list(ctx context.Context, prefix string) ([]Object, error) {
	// Cancelling on return stops minio-go's listing goroutine should we
	// leave the loop early.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var out []Object
	for o := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, classify("list objects", o.Err)
		}
		out = append(out, Object{Key: o.Key, Size: o.Size, LastModified: o.LastModified})
	}
	return out, nil
}

// dirStore writes the same keys as files below a directory.
type dirStore struct{ root string }

func (d *dirStore) path(key string) (string, error) {
	p := filepath.Join(d.root, filepath.FromSlash(key))
	if !strings.HasPrefix(p, filepath.Clean(d.root)+string(filepath.Separator)) {
		return "", fmt.Errorf("%w: key escapes the directory", ErrInvalidConfig)
	}
	return p, nil
}

// put writes to a temporary file and renames it over the target, so a
// reader (or a crash) sees the old or the new object, never half of one.
func (d *dirStore) put(_ context.Context, key string, data []byte, _ string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return fmt.Errorf("objectstore: create directory: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return fmt.Errorf("objectstore: write file: %w", err)
	}
	_, werr := f.Write(data)
	if werr = atomicfile.Commit(f, p, werr); werr != nil {
		os.Remove(f.Name())
		return fmt.Errorf("objectstore: write file: %w", werr)
	}
	return nil
}

func (d *dirStore) get(_ context.Context, key string) ([]byte, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("objectstore: read file: %w", err)
	}
	return b, nil
}

func (d *dirStore) list(_ context.Context, prefix string) ([]Object, error) {
	var out []Object
	err := filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == d.root {
				return fs.SkipAll
			}
			return err
		}
		if e.IsDir() || strings.HasPrefix(e.Name(), ".tmp-") {
			return nil
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		out = append(out, Object{Key: key, Size: info.Size(), LastModified: info.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("objectstore: list directory: %w", err)
	}
	return out, nil
}
