//! TLS for the connections this crate opens itself (IMAP): rustls with the `ring`
//! provider, trusting Mozilla's roots (`webpki-roots`, compiled in, so that the result does
//! not depend on the machine's certificate store) plus, optionally, the certificates of one
//! PEM file, for a company's own CA or a test server's. SMTP goes through lettre, set up
//! the same way in `smtp.rs`.

use std::path::Path;
use std::sync::Arc;

use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore, crypto};

/// How a connection to a mail server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// No TLS at all: for a server on this machine or a trusted network only, since the
    /// password crosses in the clear.
    Plain,
    /// TLS from the first byte ("implicit TLS": IMAP on 993, SMTP on 465). Preferred
    /// (RFC 8314).
    Tls,
    /// A plain connection upgraded with STARTTLS before logging in (IMAP on 143, SMTP on
    /// 587). Required, never opportunistic: a server that does not offer it is an error,
    /// not a reason to go on in the clear.
    StartTls,
}

/// Reads a PEM file of CA certificates, for the `ca=` parameter: at least one certificate,
/// or an error that names the file.
pub(crate) fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let pem = std::fs::read(path).map_err(|err| format!("cannot read the CA file {}: {err}", path.display()))?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| format!("the CA file {} is not PEM: {err}", path.display()))?;
    if certificates.is_empty() {
        return Err(format!("the CA file {} holds no certificate", path.display()));
    }
    Ok(certificates)
}

/// A connector trusting Mozilla's roots and `extra_roots`.
pub(crate) fn connector(extra_roots: Vec<CertificateDer<'static>>) -> Result<TlsConnector, String> {
    let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    for certificate in extra_roots {
        roots.add(certificate).map_err(|err| format!("an extra CA certificate is unusable: {err}"))?;
    }
    let config = ClientConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|err| format!("TLS set-up: {err}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

/// The name the server's certificate must carry: a DNS name or an IP address.
pub(crate) fn server_name(host: &str) -> Result<ServerName<'static>, String> {
    ServerName::try_from(host.to_owned())
        .map_err(|err| format!("'{host}' cannot be checked against a certificate: {err}"))
}
