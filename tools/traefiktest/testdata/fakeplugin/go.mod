module github.com/captchaify/captchaify

go 1.22
