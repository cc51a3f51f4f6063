package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTrustedProxiesFlagIsChecked: a list that is not CIDRs or addresses is
// a usage error, whether it comes from the flag, the environment or the
// config file.
func TestTrustedProxiesFlagIsChecked(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	wantUsageError(t, `--trusted-proxies: "proxy.internal" is neither a CIDR`, "serve", "--db", db, "--addr", "127.0.0.1:0", "--trusted-proxies", "10.0.0.0/8,proxy.internal")
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(cfg, []byte("trusted-proxies: [10.0.0.0/8, nonsense]\n"), 0o644)
	wantUsageError(t, `"nonsense" is neither a CIDR`, "--config", cfg, "serve", "--db", db, "--addr", "127.0.0.1:0")
	t.Setenv("RHYTHM_TRUSTED_PROXIES", "10.0.0.300")
	wantUsageError(t, `"10.0.0.300" is neither a CIDR`, "serve", "--db", db, "--addr", "127.0.0.1:0")
}
