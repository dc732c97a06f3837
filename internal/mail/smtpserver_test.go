package mail_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testServer is a real SMTP server on 127.0.0.1 that records what it
// accepts and can be told to fail.
type testServer struct {
	Host string
	Port int

	mu       sync.Mutex
	received []received
	attempts int
	// fail, when set, decides the reply to the n-th DATA (1-based):
	// nil accepts.
	fail func(n int) error
	// onData runs after a message was received, before the reply.
	onData func(n int)
	// hook, when set, runs with "data" and the recipient after a message
	// was received (before the reply), and with "logout" when a session
	// that received one ends (after QUIT, or a lost connection).
	hook       func(event, to string)
	user, pass string
	mechs      []string
}

type received struct {
	From, To  string
	Raw       []byte
	MessageID string
	TLS       bool
	Authed    string
}

// serverOpts chooses TLS and AUTH.
type serverOpts struct {
	TLS      *tls.Config // offered via STARTTLS
	Implicit bool        // TLS from the first byte
	User     string      // non-empty: AUTH PLAIN and LOGIN required
	Pass     string
	Mechs    []string // offered mechanisms; default PLAIN and LOGIN
}

func startServer(t *testing.T, o serverOpts) *testServer {
	t.Helper()
	ts := &testServer{user: o.User, pass: o.Pass, mechs: o.Mechs}
	if ts.mechs == nil {
		ts.mechs = []string{sasl.Plain, sasl.Login}
	}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{ts: ts, conn: c}, nil
	}))
	s.Domain = "mx.test"
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.MaxMessageBytes = 1 << 20
	s.TLSConfig = o.TLS
	s.AllowInsecureAuth = false
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.Implicit {
		l = tls.NewListener(l, o.TLS)
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	host, port, _ := net.SplitHostPort(l.Addr().String())
	ts.Host = host
	ts.Port, _ = strconv.Atoi(port)
	return ts
}

// setHook sets hook (see testServer.hook) while sessions may run.
func (ts *testServer) setHook(h func(event, to string)) {
	ts.mu.Lock()
	ts.hook = h
	ts.mu.Unlock()
}

// Received returns copies of the accepted messages.
func (ts *testServer) Received() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.received...)
}

type session struct {
	ts       *testServer
	conn     *smtp.Conn
	authed   string
	from, to string
	got      bool // a message was received (for hook)
}

func (s *session) AuthMechanisms() []string {
	if s.ts.user == "" {
		return nil
	}
	return s.ts.mechs
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != s.ts.user || pass != s.ts.pass {
			return errors.New("bad credentials")
		}
		s.authed = mech + ":" + user
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, user, pass string) error { return check(user, pass) }), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.ts.user != "" && s.authed == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ts := s.ts
	_, isTLS := s.conn.TLSConnectionState()
	ts.mu.Lock()
	ts.attempts++
	n := ts.attempts
	fail := ts.fail
	ts.mu.Unlock()
	if fail != nil {
		if err := fail(n); err != nil {
			return err
		}
	}
	msg, _ := mail.ReadMessage(strings.NewReader(string(raw)))
	id := ""
	if msg != nil {
		id = msg.Header.Get("Message-ID")
	}
	ts.mu.Lock()
	ts.received = append(ts.received, received{From: s.from, To: s.to, Raw: raw, MessageID: id, TLS: isTLS, Authed: s.authed})
	onData, hook := ts.onData, ts.hook
	ts.mu.Unlock()
	if onData != nil {
		onData(n)
	}
	if hook != nil {
		hook("data", s.to)
		s.got = true
	}
	return nil
}

func (s *session) Reset() {}

func (s *session) Logout() error {
	s.ts.mu.Lock()
	hook := s.ts.hook
	s.ts.mu.Unlock()
	if hook != nil && s.got {
		hook("logout", s.to)
	}
	return nil
}

// loginServer is the server side of AUTH LOGIN, which go-sasl no longer
// ships.
type loginServer struct {
	check func(user, pass string) error
	step  int
	user  string
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	l.step++
	switch l.step {
	case 1:
		if len(resp) > 0 {
			l.user = string(resp)
			l.step++
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 2:
		l.user = string(resp)
		return []byte("Password:"), false, nil
	case 3:
		return nil, true, l.check(l.user, string(resp))
	}
	return nil, true, errors.New("unexpected LOGIN step")
}

var (
	tempFail = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	permFail = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
)

// testTLS returns a server config with a fresh self-signed certificate for
// 127.0.0.1 and a client config that trusts it.
func testTLS(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mx.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	client = &tls.Config{RootCAs: pool}
	return server, client
}
