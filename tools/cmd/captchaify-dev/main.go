// Command captchaify-dev helps operators and tests that hold the secret:
//
//	captchaify-dev token -secret S -ip IP -ua UA -hardness H [-binding subnet]
//	    prints a clearance token, e.g. to let a monitoring client through;
//	captchaify-dev open -secret S CT
//	    decrypts a challenge token and prints it as JSON ("answer" is what
//	    the visitor must type; for oneclick and multiclick, "indexes" are
//	    the right candidates: post ci=N, or ciN=1 for each).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/captchaify/captchaify"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  captchaify-dev token -secret S -ip IP -ua UA -hardness H [-binding ip|subnet|none]
  captchaify-dev open -secret S CT`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	switch args[0] {
	case "token":
		return runToken(args[1:], stdout, stderr)
	case "open":
		return runOpen(args[1:], stdout, stderr)
	}
	fmt.Fprintln(stderr, usage)
	return 2
}

func runToken(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	secret := fs.String("secret", os.Getenv("CAPTCHAIFY_SECRET"), "the middleware's secret (default $CAPTCHAIFY_SECRET)")
	ip := fs.String("ip", "", "the client address the token is for")
	ua := fs.String("ua", "", "the client's exact User-Agent header")
	hardness := fs.Int("hardness", 3, "the hardness the pass counts as solved at (1-3)")
	binding := fs.String("binding", "subnet", "the middleware's tokenBinding: ip, subnet or none")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	tok, err := captchaify.IssueClearanceToken(*secret, *ip, *ua, *hardness, *binding)
	if err != nil {
		fmt.Fprintln(stderr, "captchaify-dev token:", err)
		return 1
	}
	fmt.Fprintln(stdout, tok)
	return 0
}

func runOpen(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("open", flag.ContinueOnError)
	fs.SetOutput(stderr)
	secret := fs.String("secret", os.Getenv("CAPTCHAIFY_SECRET"), "the middleware's secret (default $CAPTCHAIFY_SECRET)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "captchaify-dev open: give exactly one challenge token")
		return 2
	}
	info, err := captchaify.OpenChallengeToken(*secret, fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "captchaify-dev open:", err)
		return 1
	}
	out, _ := json.Marshal(info)
	fmt.Fprintln(stdout, string(out))
	return 0
}
