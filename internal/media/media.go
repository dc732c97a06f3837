// Package media checks, cleans and stores uploaded images. An upload is
// judged by its bytes, never its name: it must sniff as JPEG, PNG, GIF or
// WebP and decode as that format within size limits; it is then turned
// upright (JPEG EXIF orientation), scaled down to MaxSide and re-encoded
// (JPEG quality 85, or PNG when it has transparency), which drops every
// piece of metadata (EXIF with GPS positions, comments, colour profiles).
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"github.com/akinai/akinai/internal/shop"
)

// Limits of an upload.
const (
	MaxBytes  = 20 << 20 // one file
	MaxPixels = 40_000_000
	MaxSide   = 2000 // the stored image's longer side, at most
)

// Error keys (internal/i18n/locales/admin_products.json).
const (
	ErrKeyNotImage = "admin_products.image.not_image"
	ErrKeyTooLarge = "admin_products.image.too_large"
	ErrKeyBroken   = "admin_products.image.broken"
)

// Image is a cleaned image ready to store.
type Image struct {
	Data          []byte
	ContentType   string // image/jpeg or image/png
	Width, Height int
	// Key names it in a Store: "p/" + a hash of the bytes + extension, so
	// the same picture uploaded twice is stored once and a key never
	// changes its bytes (the storefront caches images for a month).
	Key string
}

var decoders = map[string]func([]byte) (image.Image, error){
	"image/jpeg": func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) },
	"image/png":  func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) },
	"image/gif":  func(b []byte) (image.Image, error) { return gif.Decode(bytes.NewReader(b)) },
	"image/webp": func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) },
}

var configs = map[string]func([]byte) (image.Config, error){
	"image/jpeg": func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) },
	"image/png":  func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) },
	"image/gif":  func(b []byte) (image.Config, error) { return gif.DecodeConfig(bytes.NewReader(b)) },
	"image/webp": func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) },
}

// Process checks and cleans an uploaded file. Errors: Invalid with
// ErrKeyNotImage (not one of the four formats, whatever its name),
// ErrKeyTooLarge (over MaxBytes or MaxPixels) or ErrKeyBroken (does not
// decode).
func Process(data []byte) (*Image, error) {
	if len(data) > MaxBytes {
		return nil, shop.Errorf(shop.Invalid, ErrKeyTooLarge)
	}
	ct := http.DetectContentType(data)
	decode, ok := decoders[ct]
	if !ok {
		return nil, shop.Errorf(shop.Invalid, ErrKeyNotImage)
	}
	// The header first: a small file can claim a huge canvas.
	cfg, err := configs[ct](data)
	if err != nil {
		return nil, shop.Errorf(shop.Invalid, ErrKeyBroken)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
		return nil, shop.Errorf(shop.Invalid, ErrKeyTooLarge)
	}
	src, err := decode(data)
	if err != nil {
		return nil, shop.Errorf(shop.Invalid, ErrKeyBroken)
	}
	if ct == "image/jpeg" {
		src = Orient(src, Orientation(data))
	}
	src = scaleDown(src, MaxSide)
	out := &Image{Width: src.Bounds().Dx(), Height: src.Bounds().Dy()}
	var buf bytes.Buffer
	ext := ".jpg"
	if ct != "image/jpeg" && !opaque(src) {
		out.ContentType, ext = "image/png", ".png"
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, src)
	} else {
		out.ContentType = "image/jpeg"
		err = jpeg.Encode(&buf, flatten(src), &jpeg.Options{Quality: 85})
	}
	if err != nil {
		return nil, err
	}
	out.Data = buf.Bytes()
	sum := sha256.Sum256(out.Data)
	out.Key = "p/" + hex.EncodeToString(sum[:16]) + ext
	return out, nil
}

// opaque reports whether every pixel of m is fully opaque.
func opaque(m image.Image) bool {
	if o, ok := m.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := m.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}

// flatten draws m on white, for JPEG (which has no transparency).
func flatten(m image.Image) image.Image {
	if opaque(m) {
		return m
	}
	b := m.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), m, b.Min, draw.Over)
	return dst
}

// scaleDown returns m scaled so that its longer side is at most side.
func scaleDown(m image.Image, side int) image.Image {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		return m
	}
	if w >= h {
		w, h = side, max(1, h*side/w)
	} else {
		w, h = max(1, w*side/h), side
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), m, b, draw.Src, nil)
	return dst
}
