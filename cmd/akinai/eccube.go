package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/akinai/akinai/internal/eccube"
)

// runImport dispatches "akinai import <kind>"; EC-CUBE is the only kind.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "eccube" {
		fmt.Fprintln(stderr, "usage: akinai import eccube --source URL [--images DIR|TAR] [--eccube-env FILE] [--templates DIR] [--dry-run]")
		return 2
	}
	var source, images, envFile, templates, imageStore string
	var dry bool
	cfg, _, d, code := commandDB(ctx, "import eccube", args[1:], stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&source, "source", "", "the EC-CUBE database, read only: mysql://user:pass@host:3306/db or postgres://user:pass@host:5432/db (EC-CUBE's DATABASE_URL)")
		fs.StringVar(&images, "images", "", "EC-CUBE's html/upload/save_image folder, or a tar(.gz) of it")
		fs.StringVar(&envFile, "eccube-env", "", "EC-CUBE's .env (or app/config/eccube/packages/eccube.yaml) holding ECCUBE_AUTH_MAGIC, so customers keep their passwords")
		fs.StringVar(&templates, "templates", "", "EC-CUBE's app/template/<theme> folder, for the shop's own pages (user_data)")
		fs.StringVar(&imageStore, "image-store", env("AKINAI_IMAGE_STORE", "db"), "where images go: db, disk or s3, as for serve [AKINAI_IMAGE_STORE]")
		fs.BoolVar(&dry, "dry-run", false, "read and check everything, write nothing, print what would be imported and every row that cannot be")
	})
	if code != 0 {
		return code
	}
	defer d.Close()
	if source == "" {
		fmt.Fprintln(stderr, "akinai: import eccube needs --source (the EC-CUBE database URL)")
		return 2
	}
	if err := cfg.loadSecret(cfg.newLogger(io.Discard)); err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	o := eccube.Options{DB: d, Secret: cfg.Secret, DryRun: dry, Progress: stderr, Templates: templates}
	if envFile != "" {
		m, err := eccube.AuthMagic(envFile)
		if err != nil {
			fmt.Fprintln(stderr, "akinai:", err)
			return 2
		}
		o.AuthMagic = m
	}
	if images != "" {
		im, err := eccube.OpenImages(images)
		if err != nil {
			fmt.Fprintln(stderr, "akinai:", err)
			return 2
		}
		o.Images = im
	}
	cfg.ImageStore = imageStore
	app := &shopApp{cfg: *cfg, db: d}
	store, err := app.imageStore()
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 2
	}
	o.Media = store
	src, err := eccube.Open(ctx, source)
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	defer src.Close()
	o.Source = src
	rep, err := eccube.Run(ctx, o)
	if rep != nil {
		rep.Write(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "akinai: import stopped:", err, "— run the same command again to resume")
		return 1
	}
	return 0
}
