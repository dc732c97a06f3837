package backup

import (
	"bytes"
	"crypto/rand"
	"errors"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// The secret key travels in a backup only sealed with the operator's
// passphrase: argon2id (3 passes, 64 MiB) derives a key that seals it with
// XChaCha20-Poly1305. Layout: magic | salt (16) | nonce (24) | sealed.
var secretMagic = []byte("AKINAI-SECRET-1\n")

// ErrPassphrase is returned when the passphrase does not open the secret.
var ErrPassphrase = errors.New("the passphrase does not open the secret key in this backup")

func passKey(pass, salt []byte) []byte {
	return argon2.IDKey(pass, salt, 3, 64*1024, 1, chacha20poly1305.KeySize)
}

func sealSecret(secret, pass []byte) ([]byte, error) {
	if len(pass) < 12 {
		return nil, errors.New("the backup passphrase must be at least 12 characters")
	}
	salt := make([]byte, 16)
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	rand.Read(salt)
	rand.Read(nonce)
	aead, err := chacha20poly1305.NewX(passKey(pass, salt))
	if err != nil {
		return nil, err
	}
	out := append(append(append([]byte{}, secretMagic...), salt...), nonce...)
	return aead.Seal(out, nonce, secret, secretMagic), nil
}

func openSecret(sealed, pass []byte) ([]byte, error) {
	if !bytes.HasPrefix(sealed, secretMagic) || len(sealed) < len(secretMagic)+16+chacha20poly1305.NonceSizeX {
		return nil, errors.New("the sealed secret key in this backup is damaged")
	}
	rest := sealed[len(secretMagic):]
	salt, nonce, box := rest[:16], rest[16:16+chacha20poly1305.NonceSizeX], rest[16+chacha20poly1305.NonceSizeX:]
	aead, err := chacha20poly1305.NewX(passKey(pass, salt))
	if err != nil {
		return nil, err
	}
	secret, err := aead.Open(nil, nonce, box, secretMagic)
	if err != nil {
		return nil, ErrPassphrase
	}
	return secret, nil
}
