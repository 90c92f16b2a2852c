package main
import ("encoding/base64";"os";"strings";"github.com/captchaify/captchaify/assets")
func main(){ b,_:=base64.StdEncoding.DecodeString(strings.ReplaceAll(assets.GlyphAtlasPNG,"\n","")); os.WriteFile("/tmp/gg/atlas.png",b,0644)}
