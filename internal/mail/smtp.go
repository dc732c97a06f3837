package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"time"
)

// TLS modes of an SMTP connection.
const (
	TLSNone     = "none"     // plain text; AUTH only to a loopback server
	TLSStartTLS = "starttls" // STARTTLS required (port 587, the default)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
)

// SMTPConfig says how to reach the submission server.
type SMTPConfig struct {
	Host     string
	Port     int    // default 587, or 465 for TLSImplicit
	Username string // empty: no AUTH
	Password string
	TLS      string // TLSNone, TLSStartTLS (default) or TLSImplicit
	// HeloName is the name given in EHLO; default "localhost".
	HeloName string
	// Timeout bounds one whole delivery: dial, TLS, every command and the
	// data. Default 60 s.
	Timeout time.Duration
	// TLSConfig overrides certificate checks (tests trust their own CA).
	TLSConfig *tls.Config
}

// Validate checks the configuration and fills defaults.
func (c *SMTPConfig) Validate() error {
	if c.Host == "" {
		return errors.New("mail: SMTP host is empty")
	}
	switch c.TLS {
	case "":
		c.TLS = TLSStartTLS
	case TLSNone, TLSStartTLS, TLSImplicit:
	default:
		return fmt.Errorf("mail: SMTP TLS mode must be none, starttls or tls, not %q", c.TLS)
	}
	if c.Port == 0 {
		c.Port = 587
		if c.TLS == TLSImplicit {
			c.Port = 465
		}
	}
	if c.Port < 1 || c.Port > 65535 {
		return fmt.Errorf("mail: SMTP port %d out of range", c.Port)
	}
	if c.Timeout == 0 {
		c.Timeout = 60 * time.Second
	}
	if c.HeloName == "" {
		c.HeloName = "localhost"
	}
	return nil
}

// SMTP delivers mail to one submission server.
type SMTP struct {
	Config SMTPConfig
}

// NewSMTP returns a sender for cfg, or the error of cfg.Validate.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &SMTP{Config: cfg}, nil
}

// PermanentError is a delivery failure that retrying cannot fix: a 5xx
// reply from the server. The worker marks the row dead at once.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Send delivers msg from the envelope sender to the recipients in one SMTP
// session. The session ends when ctx ends or Config.Timeout passes,
// whichever is first. A 5xx reply is returned as *PermanentError; every
// other failure (network, TLS, 4xx) is worth retrying. A failure while
// waiting for the reply to the final dot is an *UnknownOutcomeError: the
// server may have accepted the mail.
func (s *SMTP) Send(ctx context.Context, from string, to []string, msg []byte) error {
	return s.SendThen(ctx, from, to, msg, nil)
}

// UnknownOutcomeError is a send that failed after the whole message was
// sent and before the server's reply to it arrived (a connection lost, a
// timeout): whether the server accepted it cannot be known.
type UnknownOutcomeError struct{ Err error }

func (e *UnknownOutcomeError) Error() string { return e.Err.Error() }
func (e *UnknownOutcomeError) Unwrap() error { return e.Err }

// SendThen is Send that calls accepted (when not nil) the moment the
// server has accepted the message, before it ends the session, so that
// the caller records the delivery before anything else happens.
func (s *SMTP) SendThen(ctx context.Context, from string, to []string, msg []byte, accepted func()) error {
	c := s.Config
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	tlsConf := &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
	if c.TLSConfig != nil {
		tlsConf = c.TLSConfig.Clone()
		if tlsConf.ServerName == "" {
			tlsConf.ServerName = c.Host
		}
	}
	var conn net.Conn
	var err error
	if c.TLS == TLSImplicit {
		conn, err = (&tls.Dialer{Config: tlsConf}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("mail: dial %s: %w", addr, err)
	}
	// One deadline for the session, pulled in when ctx is cancelled, so a
	// stuck server or a shutdown never leaves the worker waiting.
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()

	client, err := smtp.NewClient(conn, c.Host)
	if err != nil {
		conn.Close()
		return classify(ctx, "greeting", err)
	}
	defer client.Close()
	if err := client.Hello(c.HeloName); err != nil {
		return classify(ctx, "EHLO", err)
	}
	if c.TLS == TLSStartTLS {
		if ok, _ := client.Extension("STARTTLS"); !ok {
			return fmt.Errorf("mail: %s does not offer STARTTLS (set the TLS mode to none to send in plain text)", addr)
		}
		if err := client.StartTLS(tlsConf); err != nil {
			return classify(ctx, "STARTTLS", err)
		}
	}
	if c.Username != "" {
		if err := client.Auth(s.auth(client)); err != nil {
			return classify(ctx, "AUTH", err)
		}
	}
	if err := client.Mail(from); err != nil {
		return classify(ctx, "MAIL FROM", err)
	}
	for _, rcpt := range to {
		if err := client.Rcpt(rcpt); err != nil {
			return classify(ctx, "RCPT TO", err)
		}
	}
	w, err := client.Data()
	if err != nil {
		return classify(ctx, "DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return classify(ctx, "DATA", err)
	}
	if err := w.Close(); err != nil {
		err = classify(ctx, "end of DATA", err)
		var te *textproto.Error
		if !errors.As(err, &te) {
			err = &UnknownOutcomeError{Err: err}
		}
		return err
	}
	// The mail is accepted once the server answered the final dot; a
	// failed QUIT changes nothing.
	if accepted != nil {
		accepted()
	}
	_ = client.Quit()
	return nil
}

// auth picks PLAIN, or LOGIN for servers that offer only that. Both
// refuse to send the password over an unencrypted connection to anything
// but a loopback server.
func (s *SMTP) auth(client *smtp.Client) smtp.Auth {
	c := s.Config
	if ok, mechs := client.Extension("AUTH"); ok && !containsWord(mechs, "PLAIN") && containsWord(mechs, "LOGIN") {
		return &loginAuth{user: c.Username, pass: c.Password, host: c.Host}
	}
	return smtp.PlainAuth("", c.Username, c.Password, c.Host)
}

func classify(ctx context.Context, step string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("mail: SMTP %s: %w (%w)", step, err, ctx.Err())
	}
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return &PermanentError{Err: fmt.Errorf("mail: SMTP %s: %w", step, err)}
	}
	return fmt.Errorf("mail: SMTP %s: %w", step, err)
}
