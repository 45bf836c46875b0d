//! WhatsApp through MSG91's documented WhatsApp outbound API (v5):
//! `POST {base}/api/v5/whatsapp/whatsapp-outbound-message/bulk/` with the `authkey`
//! header and `{"integrated_number", "content_type": "template", "payload": {…,
//! "template": {"name", "language": {"code", "policy": "deterministic"}, "namespace",
//! "to_and_components": [{"to": [mobile], "components": {"body_1": {"type": "text",
//! "value": …}}}]}}}`.
//!
//! A business may start a WhatsApp conversation only with a template Meta approved, so
//! the account is expected to have one template (by default `sambandh_message`) in each
//! language Sambandh writes in, whose body is one variable that carries the whole
//! personal message. Success is a 2xx answer whose `status` is `success` (or whose
//! `hasError` is false); a 5xx or 429 is worth a retry, any other refusal is final.
//! Tests run against a stand-in of this API on loopback; the real service is outside
//! this machine's reach.

use serde::Deserialize;
use serde_json::json;

use crate::{DeliveryError, TextMessage};

/// The WhatsApp account at MSG91 and the template greetings and replies go out with.
#[derive(Debug, Clone)]
pub struct WhatsAppGateway {
    client: reqwest::Client,
    base_url: String,
    authkey: String,
    /// The business's WhatsApp number, digits only (`919840000000`).
    integrated_number: String,
    template: String,
    namespace: String,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    status: String,
    #[serde(default, rename = "hasError")]
    has_error: Option<bool>,
    #[serde(default)]
    errors: serde_json::Value,
    #[serde(default)]
    request_id: Option<String>,
}

impl WhatsAppGateway {
    pub fn new(base_url: &str, authkey: &str, integrated_number: &str, template: &str, namespace: &str) -> Self {
        Self {
            client: reqwest::Client::new(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            authkey: authkey.to_owned(),
            integrated_number: integrated_number.trim_start_matches('+').to_owned(),
            template: template.to_owned(),
            namespace: namespace.to_owned(),
        }
    }

    /// Sends one message in `language` (the template's language code: `ta`, `hi`, `en`,
    /// …); answers the gateway's request id, if it gave one.
    pub async fn send(&self, message: &TextMessage, language: &str) -> Result<String, DeliveryError> {
        let to = message.to.trim_start_matches('+');
        let request = json!({
            "integrated_number": self.integrated_number,
            "content_type": "template",
            "payload": {
                "messaging_product": "whatsapp",
                "type": "template",
                "template": {
                    "name": self.template,
                    "language": {"code": language, "policy": "deterministic"},
                    "namespace": self.namespace,
                    "to_and_components": [{
                        "to": [to],
                        "components": {"body_1": {"type": "text", "value": message.body}},
                    }],
                },
            },
        });
        let response = self
            .client
            .post(format!("{}/api/v5/whatsapp/whatsapp-outbound-message/bulk/", self.base_url))
            .header("authkey", &self.authkey)
            .json(&request)
            .send()
            .await
            .map_err(|err| DeliveryError::Transient(format!("WhatsApp gateway unreachable: {err}")))?;
        let status = response.status();
        let answer: Option<Answer> = response.json().await.ok();
        let accepted = answer.as_ref().is_some_and(|a| a.status == "success" || a.has_error == Some(false));
        match (status, answer) {
            (status, Some(answer)) if status.is_success() && accepted => Ok(answer.request_id.unwrap_or_default()),
            (status, answer) if status.is_server_error() || status.as_u16() == 429 => {
                Err(DeliveryError::Transient(format!(
                    "WhatsApp gateway answered {status}: {}",
                    answer.map(|a| a.errors.to_string()).unwrap_or_default()
                )))
            }
            (status, answer) => Err(DeliveryError::Permanent(format!(
                "WhatsApp gateway refused the message ({status}): {}",
                answer.map(|a| a.errors.to_string()).unwrap_or_default()
            ))),
        }
    }
}
