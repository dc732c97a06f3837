module github.com/akinai/akinai

go 1.26
