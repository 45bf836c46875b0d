//! SMS through MSG91's documented "Send SMS via Flow" API (v5):
//! `POST {base}/api/v5/flow/` with the `authkey` header and
//! `{"flow_id", "sender", "unicode", "recipients": [{"mobiles", …variables}]}`,
//! answered `{"type": "success", "message": <request id>}` or
//! `{"type": "error", "message": <reason>}`.
//!
//! Indian operators deliver only texts that match a template registered on DLT, so the
//! flow's template is expected to be one variable, `##body##`, that carries the whole
//! greeting. Tests run against a stand-in of this API on loopback; the real service is
//! outside this machine's reach.

use serde::Deserialize;
use serde_json::json;

use crate::DeliveryError;

/// One text message to one phone.
#[derive(Debug, Clone)]
pub struct TextMessage {
    /// E.164, as stored (`+919840012345`).
    pub to: String,
    pub body: String,
}

/// The gateway's address and the account's settings.
#[derive(Debug, Clone)]
pub struct Gateway {
    client: reqwest::Client,
    base_url: String,
    authkey: String,
    flow_id: String,
    sender: String,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    message: String,
}

impl Gateway {
    pub fn new(base_url: &str, authkey: &str, flow_id: &str, sender: &str) -> Self {
        Self {
            client: reqwest::Client::new(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            authkey: authkey.to_owned(),
            flow_id: flow_id.to_owned(),
            sender: sender.to_owned(),
        }
    }

    /// Sends one message; answers the gateway's request id.
    pub async fn send(&self, message: &TextMessage) -> Result<String, DeliveryError> {
        let mobiles = message.to.trim_start_matches('+');
        let unicode = u8::from(!message.body.is_ascii());
        let request = json!({
            "flow_id": self.flow_id,
            "sender": self.sender,
            "unicode": unicode,
            "recipients": [{"mobiles": mobiles, "body": message.body}],
        });
        let response = self
            .client
            .post(format!("{}/api/v5/flow/", self.base_url))
            .header("authkey", &self.authkey)
            .json(&request)
            .send()
            .await
            .map_err(|err| DeliveryError::Transient(format!("SMS gateway unreachable: {err}")))?;
        let status = response.status();
        let answer: Option<Answer> = response.json().await.ok();
        match (status, answer) {
            (status, Some(answer)) if status.is_success() && answer.kind == "success" => Ok(answer.message),
            (status, answer) if status.is_server_error() || status.as_u16() == 429 => Err(DeliveryError::Transient(
                format!("SMS gateway answered {status}: {}", answer.map(|a| a.message).unwrap_or_default()),
            )),
            (status, answer) => Err(DeliveryError::Permanent(format!(
                "SMS gateway refused the message ({status}): {}",
                answer.map(|a| a.message).unwrap_or_default()
            ))),
        }
    }
}
