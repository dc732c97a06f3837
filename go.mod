module github.com/akinai/akinai

go 1.26.0

require (
	blitiri.com.ar/go/spf v1.6.0
	github.com/emersion/go-msgauth v0.7.0
	github.com/mtibben/confusables v0.0.0-20210201002637-9d1b0723b659
	golang.org/x/net v0.62.0
	golang.org/x/text v0.44.0
)

require golang.org/x/crypto v0.58.0 // indirect
