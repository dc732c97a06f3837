package media_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/media"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// halves is a w×h image, red on the left half and blue on the right.
func halves(w, h int) image.Image {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{255, 0, 0, 255}
			if x >= w/2 {
				c = color.RGBA{0, 0, 255, 255}
			}
			m.Set(x, y, c)
		}
	}
	return m
}

// WithOrientation returns a JPEG of m carrying an EXIF block (big-endian
// TIFF) with orientation o and a GPS-looking comment to be stripped.
func WithOrientation(t testing.TB, m image.Image, o uint16) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	var tiff bytes.Buffer
	tiff.WriteString("MM")
	binary.Write(&tiff, binary.BigEndian, uint16(42))
	binary.Write(&tiff, binary.BigEndian, uint32(8))
	binary.Write(&tiff, binary.BigEndian, uint16(1))                       // one entry
	binary.Write(&tiff, binary.BigEndian, []uint16{0x0112, 3, 0, 1, o, 0}) // tag, SHORT, count 1, value
	binary.Write(&tiff, binary.BigEndian, uint32(0))                       // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	payload = append(payload, []byte("GPS 35.6812N 139.7671E")...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	b := buf.Bytes()
	return append(append(append([]byte{}, b[:2]...), seg...), b[2:]...)
}

func isRed(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 0xc000 && g < 0x4000 && b < 0x4000
}

func TestProcessOrientation(t *testing.T) {
	t.Parallel()
	src := WithOrientation(t, halves(40, 20), 6)
	if got := media.Orientation(src); got != 6 {
		t.Fatalf("orientation %d", got)
	}
	img, err := media.Process(src)
	if err != nil {
		t.Fatal(err)
	}
	if img.Width != 20 || img.Height != 40 || img.ContentType != "image/jpeg" {
		t.Fatalf("%dx%d %s", img.Width, img.Height, img.ContentType)
	}
	m, err := jpeg.Decode(bytes.NewReader(img.Data))
	if err != nil {
		t.Fatal(err)
	}
	// Turned 90° clockwise: the left (red) half is now on top.
	if !isRed(m.At(10, 5)) || isRed(m.At(10, 35)) {
		t.Errorf("not upright: top %v, bottom %v", m.At(10, 5), m.At(10, 35))
	}
	if bytes.Contains(img.Data, []byte("Exif")) || bytes.Contains(img.Data, []byte("GPS")) {
		t.Error("metadata kept")
	}
	if media.Orientation(img.Data) != 1 {
		t.Error("orientation kept")
	}
	for o := uint16(1); o <= 8; o++ {
		img, err := media.Process(WithOrientation(t, halves(40, 20), o))
		if err != nil {
			t.Fatal(o, err)
		}
		if (o >= 5) != (img.Width == 20) {
			t.Errorf("orientation %d: %dx%d", o, img.Width, img.Height)
		}
	}
}

func TestProcessRefuses(t *testing.T) {
	t.Parallel()
	for name, data := range map[string][]byte{
		"html named .jpg": []byte("<html><script>alert(1)</script></html>"),
		"pdf":             []byte("%PDF-1.4\n1 0 obj\n"),
		"truncated png":   append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 40)...),
	} {
		if _, err := media.Process(data); shop.KindOf(err) != shop.Invalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A PNG header claiming a huge canvas is refused before decoding.
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b[16:], 100000)
	binary.BigEndian.PutUint32(b[20:], 100000)
	if _, err := media.Process(b); shop.KindOf(err) != shop.Invalid {
		t.Errorf("huge canvas: %v", err)
	}
}

func TestProcessScalesAndKeepsAlpha(t *testing.T) {
	t.Parallel()
	m := image.NewNRGBA(image.Rect(0, 0, 2100, 60))
	var buf bytes.Buffer
	png.Encode(&buf, m) // fully transparent
	img, err := media.Process(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if img.Width != 2000 || img.Height != 57 || img.ContentType != "image/png" {
		t.Errorf("%dx%d %s", img.Width, img.Height, img.ContentType)
	}
}

func TestStores(t *testing.T) {
	t.Parallel()
	img, err := media.Process(WithOrientation(t, halves(8, 8), 1))
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, s media.Store) {
		ctx := t.Context()
		if err := s.Put(ctx, img.Key, img.ContentType, img.Data); err != nil {
			t.Fatal(err)
		}
		if err := s.Put(ctx, img.Key, img.ContentType, img.Data); err != nil {
			t.Fatal("second put:", err)
		}
		ct, data, err := s.Get(ctx, img.Key)
		if err != nil || ct != "image/jpeg" || !bytes.Equal(data, img.Data) {
			t.Fatalf("get: %s %d bytes %v", ct, len(data), err)
		}
		if err := s.Delete(ctx, img.Key); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Get(ctx, img.Key); err != shop.ErrNotFound {
			t.Errorf("after delete: %v", err)
		}
		if err := s.Put(ctx, "../../etc/passwd", "image/jpeg", nil); err == nil {
			t.Error("bad key accepted")
		}
	}
	t.Run("disk", func(t *testing.T) { check(t, media.DiskStore{Dir: t.TempDir()}) })
	dbtest.Each(t, func(t *testing.T, d *db.DB) { check(t, media.DBStore{DB: d}) })
}
