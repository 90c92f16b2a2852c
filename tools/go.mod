module github.com/captchaify/captchaify/tools

go 1.26.0

replace github.com/captchaify/captchaify => ../

require (
	github.com/captchaify/captchaify v0.0.0-00010101000000-000000000000
	github.com/mitchellh/mapstructure v1.5.1-0.20231216201459-8508981c8b6c // indirect
	github.com/traefik/yaegi v0.16.1 // indirect
	golang.org/x/image v0.48.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
