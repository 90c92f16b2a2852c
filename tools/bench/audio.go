package bench

import (
	_ "embed"
	"fmt"
	"reflect"
)

//go:embed audio_probe_src.go
var audioProbeSource string

// AudioProbe runs the audio challenge's steps under Yaegi: the plugin's
// sources plus audio_probe_src.go, loaded the way Traefik loads a plugin.
type AudioProbe struct {
	clip, url, decode, bed reflect.Value
	cleanup                func()
}

// NewAudioProbe loads the plugin with the probe into a fresh interpreter.
func NewAudioProbe() (p *AudioProbe, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("audio probe panicked: %v", r)
		}
	}()
	i, pkg, cleanup, err := loadWithProbe(audioProbeSource, "zz_audio_probe.go", "captchaify-audio-probe-")
	if err != nil {
		return nil, err
	}
	p = &AudioProbe{cleanup: cleanup}
	for name, dst := range map[string]*reflect.Value{"BenchAudioClip": &p.clip, "BenchAudioURL": &p.url, "BenchAudioDecode": &p.decode, "BenchAudioBed": &p.bed} {
		v, err := i.Eval(pkg + "." + name)
		if err != nil {
			p.cleanup()
			return nil, err
		}
		*dst = v
	}
	return p, nil
}

// Close removes the probe's temporary GOPATH.
func (p *AudioProbe) Close() { p.cleanup() }

func nsResult(out []reflect.Value) (int64, error) {
	if e := out[1].Interface(); e != nil {
		return 0, e.(error)
	}
	return out[0].Interface().(int64), nil
}

// Clip renders n clips under Yaegi; it returns the total ns (dataURL adds
// the base64 data: URL a page carries).
func (p *AudioProbe) Clip(n int, digits, lang string, hardness int, dataURL bool) (int64, error) {
	fn := p.clip
	if dataURL {
		fn = p.url
	}
	return nsResult(fn.Call([]reflect.Value{reflect.ValueOf(n), reflect.ValueOf(digits), reflect.ValueOf(lang), reflect.ValueOf(hardness)}))
}

// Decode unpacks a language's recordings n times under Yaegi (total ns).
func (p *AudioProbe) Decode(n int, lang string) (int64, error) {
	return nsResult(p.decode.Call([]reflect.Value{reflect.ValueOf(n), reflect.ValueOf(lang)}))
}

// Bed builds the babble bed (once per interpreter; later calls cost nothing).
func (p *AudioProbe) Bed() (int64, error) {
	return nsResult(p.bed.Call(nil))
}
