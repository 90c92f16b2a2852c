package traefiktest

import (
	"os/exec"
	"syscall"
)

// setProcAttr makes the kernel kill Traefik if the process that started it dies
// without cleaning up (a test binary killed by a timeout, for example).
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
