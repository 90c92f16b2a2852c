//go:build !unix

package traefiktest

import "os"

func lockFile(string) (func(), error) { return func() {}, nil }

func terminate(p *os.Process) error { return p.Kill() }
