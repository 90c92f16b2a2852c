package captchaify

// TEMPORARY stand-in written by the lead so the package compiles until the
// real renderer (textimage.go) lands. Whoever adds textimage.go: delete this file.

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
)

const textAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func renderTextImage(text string, hardness int) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, 320, 120))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{200, 200, 200, 255}}, image.Point{}, draw.Src)
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}
