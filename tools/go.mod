module github.com/captchaify/captchaify/tools

go 1.26.0

replace github.com/captchaify/captchaify => ../

require (
	github.com/captchaify/captchaify v0.0.0-00010101000000-000000000000
	github.com/miekg/dns v1.1.73
	github.com/mitchellh/mapstructure v1.5.1-0.20231216201459-8508981c8b6c
	github.com/prometheus/client_model v0.6.3
	github.com/prometheus/common v0.73.1
	github.com/traefik/yaegi v0.16.1
	golang.org/x/image v0.48.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/chromedp/cdproto v0.159.0
	github.com/chromedp/chromedp v0.23.0
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
)

require (
	github.com/munnerz/goautoneg v0.0.0-20191010083416-a7dc8b61c822 // indirect
	github.com/pandatix/go-abnf v0.5.3 // indirect
	golang.org/x/net v0.61.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
)
