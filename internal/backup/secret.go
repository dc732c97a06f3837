package backup

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// The secret key travels in a backup only sealed with the operator's
// passphrase: argon2id (3 passes, 64 MiB) derives a key that seals it with
// XChaCha20-Poly1305. Layout: magic | memory in KiB (4, big-endian) |
// salt (16) | nonce (24) | sealed; the magic and memory are authenticated.
var secretMagic = []byte("AKINAI-SECRET-1\n")

// kdfMemory is argon2id's memory in KiB (tests lower it).
var kdfMemory uint32 = 64 * 1024

// ErrPassphrase is returned when the passphrase does not open the secret.
var ErrPassphrase = errors.New("the passphrase does not open the secret key in this backup")

func passKey(pass, salt []byte, memory uint32) []byte {
	return argon2.IDKey(pass, salt, 3, memory, 1, chacha20poly1305.KeySize)
}

func sealSecret(secret, pass []byte) ([]byte, error) {
	if len(pass) < 12 {
		return nil, errors.New("the backup passphrase must be at least 12 characters")
	}
	salt := make([]byte, 16)
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	rand.Read(salt)
	rand.Read(nonce)
	aead, err := chacha20poly1305.NewX(passKey(pass, salt, kdfMemory))
	if err != nil {
		return nil, err
	}
	head := binary.BigEndian.AppendUint32(append([]byte{}, secretMagic...), kdfMemory)
	out := append(append(append([]byte{}, head...), salt...), nonce...)
	return aead.Seal(out, nonce, secret, head), nil
}

func openSecret(sealed, pass []byte) ([]byte, error) {
	hl := len(secretMagic) + 4
	if !bytes.HasPrefix(sealed, secretMagic) || len(sealed) < hl+16+chacha20poly1305.NonceSizeX {
		return nil, errors.New("the sealed secret key in this backup is damaged")
	}
	head, rest := sealed[:hl], sealed[hl:]
	memory := binary.BigEndian.Uint32(head[len(secretMagic):])
	if memory < 8*1024 || memory > 1024*1024 {
		return nil, errors.New("the sealed secret key in this backup is damaged")
	}
	salt, nonce, box := rest[:16], rest[16:16+chacha20poly1305.NonceSizeX], rest[16+chacha20poly1305.NonceSizeX:]
	aead, err := chacha20poly1305.NewX(passKey(pass, salt, memory))
	if err != nil {
		return nil, err
	}
	secret, err := aead.Open(nil, nonce, box, head)
	if err != nil {
		return nil, ErrPassphrase
	}
	return secret, nil
}
