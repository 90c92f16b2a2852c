package captchaify

// This file must not be installed into plugins-local.
