//go:build tools

// Package tools pins the modules the tooling uses.
package tools

import (
	_ "github.com/mitchellh/mapstructure"
	_ "github.com/traefik/yaegi/interp"
	_ "golang.org/x/image/font/gofont/goregular"
	_ "gopkg.in/yaml.v3"
)
