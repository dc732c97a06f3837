package admin

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/akinai/akinai/internal/catalog"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/media"
	"github.com/akinai/akinai/internal/shop"
	"github.com/akinai/akinai/internal/web"
)

// MaxImagesPerUpload bounds the files of one upload.
const MaxImagesPerUpload = 20

// imageUpload adds the uploaded files (field "images", several at once)
// to a product. Each is checked by its content and cleaned (media.Process);
// if any is refused none is added, and the form shows which and why.
// POST /{admin}/products/{id}/images (multipart)
func (c *Catalog) imageUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := c.store.Edit(r.Context(), id)
	if err != nil {
		return err
	}
	// The CSRF check has parsed the multipart form (large files spill to
	// temporary files); a body over UploadLimit fails there.
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return c.renderProduct(w, r, http.StatusRequestEntityTooLarge, &productForm{P: p, ImageError: media.ErrKeyTooLarge})
		}
		return shop.Errorf(shop.Invalid, "error.invalid")
	}
	imgs, bad, err := c.readImages(r, r.MultipartForm.File["images"], true)
	if err != nil {
		return err
	}
	if bad != "" {
		return c.renderProduct(w, r, http.StatusUnprocessableEntity, &productForm{P: p, ImageError: bad})
	}
	for _, img := range imgs {
		if err := c.media.Put(r.Context(), img.Key, img.ContentType, img.Data); err != nil {
			return err
		}
	}
	err = c.write(r, "product.images_added", func(tx *db.Tx) (string, map[string]any, error) {
		keys := []string{}
		for _, img := range imgs {
			if err := catalog.AddImage(r.Context(), tx, id, img.Key, img.Width, img.Height); err != nil {
				return "", nil, err
			}
			keys = append(keys, img.Key)
		}
		return p.Slug, map[string]any{"keys": keys}, nil
	})
	if err != nil {
		return err
	}
	web.SetFlash(w, r, "admin_products.images_added")
	http.Redirect(w, r, c.h.base+"/products/"+strconv.FormatInt(id, 10)+"#images", http.StatusSeeOther)
	return nil
}

// readImages checks and cleans uploaded files (media.Process), in the
// order sent. It returns the message key of the first refused file (or
// of none sent, when required) and no images then.
func (c *Catalog) readImages(r *http.Request, files []*multipart.FileHeader, required bool) ([]*media.Image, string, error) {
	if len(files) > MaxImagesPerUpload {
		return nil, "admin_products.image.too_many", nil
	}
	var imgs []*media.Image
	for _, fh := range files {
		if fh.Size == 0 && fh.Filename == "" {
			continue // an empty file input
		}
		if fh.Size > media.MaxBytes {
			return nil, media.ErrKeyTooLarge, nil
		}
		f, err := fh.Open()
		if err != nil {
			return nil, "", err
		}
		data, err := io.ReadAll(io.LimitReader(f, media.MaxBytes+1))
		f.Close()
		if err != nil {
			return nil, "", err
		}
		img, err := media.Process(data)
		var se *shop.Error
		if errors.As(err, &se) {
			c.h.Log.Info("image refused", "request_id", web.Info(r).ID, "reason", se.Key)
			return nil, se.Key, nil
		}
		if err != nil {
			return nil, "", err
		}
		imgs = append(imgs, img)
	}
	if required && len(imgs) == 0 {
		return nil, "admin_products.image.none", nil
	}
	return imgs, "", nil
}

// imageEdit moves an image (action=up|down), saves its alt texts
// (action=alt, alt_ja, alt_en) or deletes it (action=delete).
// POST /{admin}/products/{id}/images/{image}
func (c *Catalog) imageEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	imageID, err := pathID(r, "image")
	if err != nil {
		return err
	}
	action := r.PostFormValue("action")
	var freed string
	err = c.write(r, "product.image_"+map[string]string{"up": "moved", "down": "moved", "alt": "alt", "delete": "deleted"}[action],
		func(tx *db.Tx) (string, map[string]any, error) {
			target := strconv.FormatInt(id, 10)
			details := map[string]any{"image": imageID}
			switch action {
			case "up", "down":
				d := -1
				if action == "down" {
					d = 1
				}
				return target, details, catalog.MoveImage(r.Context(), tx, id, imageID, d)
			case "alt":
				return target, details, catalog.SetImageAlt(r.Context(), tx, id, imageID, r.PostFormValue("alt_ja"), r.PostFormValue("alt_en"))
			case "delete":
				key, unused, err := catalog.DeleteImage(r.Context(), tx, id, imageID)
				if unused {
					freed = key
				}
				details["key"] = key
				return target, details, err
			}
			return "", nil, shop.Errorf(shop.Invalid, "error.invalid")
		})
	if err != nil {
		return err
	}
	if strings.HasPrefix(freed, "p/") { // uploads only, never demo or page images
		if err := c.media.Delete(r.Context(), freed); err != nil {
			c.h.Log.Error("image delete failed", "request_id", web.Info(r).ID, "key", freed, "err", err)
		}
	}
	web.SetFlash(w, r, "admin_products.saved")
	http.Redirect(w, r, c.h.base+"/products/"+strconv.FormatInt(id, 10)+"#images", http.StatusSeeOther)
	return nil
}
