package eccube

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Images gives the files of EC-CUBE's html/upload/save_image by the name
// dtb_product_image.file_name holds.
type Images interface {
	Read(name string) ([]byte, error)
}

// maxImage bounds one file read into memory (media.Process refuses more).
const maxImage = 20 << 20

// OpenImages opens a save_image folder, or a tar (optionally gzipped) of
// it: the tar's files are found by their base name wherever they sit in
// the archive, so a tar of html/upload/save_image or of its contents both
// work.
func OpenImages(p string) (Images, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("images: %w", err)
	}
	if st.IsDir() {
		return dirImages{root: os.DirFS(p)}, nil
	}
	return openTar(p)
}

type dirImages struct{ root fs.FS }

func (d dirImages) Read(name string) ([]byte, error) {
	name = path.Clean(strings.TrimPrefix(filepath.ToSlash(name), "/"))
	if !fs.ValidPath(name) || strings.Contains(name, "/") {
		return nil, errors.New("not a plain file name")
	}
	f, err := d.root.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errors.New("the file is missing from the image folder")
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxImage+1))
}

// tarImages holds the archive's files by base name. The images are read
// into memory once; an EC-CUBE shop's save_image is a few hundred MB at
// most, and the operator can unpack a larger one and pass the folder.
type tarImages struct{ files map[string][]byte }

func openTar(p string) (Images, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("images: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".tgz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("images: %s: %w", p, err)
		}
		r = gz
	}
	t := tarImages{files: map[string][]byte{}}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return nil, fmt.Errorf("images: %s is not a readable tar: %w", p, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, maxImage+1))
		if err != nil {
			return nil, fmt.Errorf("images: %s: %w", p, err)
		}
		t.files[path.Base(h.Name)] = b
	}
}

func (t tarImages) Read(name string) ([]byte, error) {
	b, ok := t.files[path.Base(name)]
	if !ok {
		return nil, errors.New("the file is missing from the image archive")
	}
	return b, nil
}
