package demo

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
)

// imageSize is the side of the square demo images, in pixels.
const imageSize = 240

// putImage stores a generated PNG under key unless it exists.
func putImage(ctx context.Context, tx *db.Tx, key string, base color.RGBA, pattern int) error {
	var exists int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM image_blobs WHERE key = ?`, key).Scan(&exists)
	if err != nil || exists > 0 {
		return err
	}
	b, err := drawImage(base, pattern)
	if err != nil {
		return err
	}
	_, err = catalog.PutBlob(ctx, tx, key, "image/png", b)
	return err
}

// drawImage draws a colour block with a pattern (stripes, checks, dots
// or waves, by pattern) in a lighter tint, as a paletted PNG of a few KB.
func drawImage(base color.RGBA, pattern int) ([]byte, error) {
	light := color.RGBA{uint8((int(base.R) + 255*2) / 3), uint8((int(base.G) + 255*2) / 3), uint8((int(base.B) + 255*2) / 3), 0xff}
	pal := color.Palette{base, light, color.RGBA{0xfa, 0xf7, 0xf0, 0xff}}
	img := image.NewPaletted(image.Rect(0, 0, imageSize, imageSize), pal)
	const cell = 24
	for y := 0; y < imageSize; y++ {
		for x := 0; x < imageSize; x++ {
			var on bool
			switch pattern % 4 {
			case 0:
				on = (x+y)/cell%2 == 0 // diagonal stripes
			case 1:
				on = (x/cell+y/cell)%2 == 0 // checks (市松)
			case 2:
				dx, dy := x%cell-cell/2, y%cell-cell/2
				on = dx*dx+dy*dy < (cell/3)*(cell/3) // dots
			default:
				on = (y+int(6*tri(x, cell)))/(cell/2)%2 == 0 // waves
			}
			idx := uint8(0)
			if on {
				idx = 1
			}
			// A pale frame, like a product photo's background.
			if x < 12 || y < 12 || x >= imageSize-12 || y >= imageSize-12 {
				idx = 2
			}
			img.SetColorIndex(x, y, idx)
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// tri is a triangle wave in [0, 1] with the given period.
func tri(x, period int) float64 {
	p := float64(x%period) / float64(period)
	if p < 0.5 {
		return 2 * p
	}
	return 2 - 2*p
}
