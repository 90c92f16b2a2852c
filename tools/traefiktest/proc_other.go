//go:build !linux

package traefiktest

import "os/exec"

func setProcAttr(*exec.Cmd) {}
