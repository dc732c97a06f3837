package dkim

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
)

// RSABits is the size of the RSA keys GenerateRSA makes. 2048 bits is what
// every receiver accepts; 1024 is rejected by some and 4096 does not fit a
// single TXT string at many DNS hosts.
const RSABits = 2048

// ErrUnsupportedKey is returned for keys that are neither Ed25519 nor RSA.
var ErrUnsupportedKey = errors.New("dkim: unsupported key type (want Ed25519 or RSA)")

// GenerateEd25519 makes a new Ed25519 signing key (RFC 8463).
func GenerateEd25519() (crypto.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("dkim: generate ed25519 key: %w", err)
	}
	return priv, nil
}

// GenerateRSA makes a new RSA signing key of RSABits bits.
func GenerateRSA() (crypto.Signer, error) {
	priv, err := rsa.GenerateKey(rand.Reader, RSABits)
	if err != nil {
		return nil, fmt.Errorf("dkim: generate rsa key: %w", err)
	}
	return priv, nil
}

// MarshalPrivateKey encodes key as a PKCS#8 "PRIVATE KEY" PEM block.
// It returns ErrUnsupportedKey for keys other than Ed25519 and RSA.
func MarshalPrivateKey(key crypto.Signer) ([]byte, error) {
	switch key.(type) {
	case ed25519.PrivateKey, *rsa.PrivateKey:
	default:
		return nil, ErrUnsupportedKey
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("dkim: marshal key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ParsePrivateKey decodes the first PEM block of data. It accepts PKCS#8
// ("PRIVATE KEY") and, for keys made by older tools such as opendkim-genkey,
// PKCS#1 ("RSA PRIVATE KEY"). RSA keys shorter than 1024 bits are refused
// because verifiers reject their signatures (RFC 8301).
func ParsePrivateKey(data []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("dkim: no PEM block in key data")
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("dkim: unexpected PEM block %q", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("dkim: parse key: %w", err)
	}
	switch k := key.(type) {
	case ed25519.PrivateKey:
		return k, nil
	case *rsa.PrivateKey:
		if k.N.BitLen() < 1024 {
			return nil, fmt.Errorf("dkim: rsa key of %d bits is too short", k.N.BitLen())
		}
		return k, nil
	}
	return nil, ErrUnsupportedKey
}

// TXTRecord returns the value to publish at SELECTOR._domainkey.DOMAIN for
// pub, for example "v=DKIM1; k=ed25519; p=…". RSA keys are published as
// SubjectPublicKeyInfo (RFC 6376 §3.6.1); Ed25519 keys as the raw 32 bytes
// (RFC 8463 §4.2).
func TXTRecord(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(k), nil
	case *rsa.PublicKey:
		der, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			return "", fmt.Errorf("dkim: marshal public key: %w", err)
		}
		return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der), nil
	}
	return "", ErrUnsupportedKey
}
