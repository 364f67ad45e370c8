//! Delivering the outbox by SMTP when a relay is configured. Without one, mail stays readable in
//! the outbox pages and the log. Every app server may run the sender: each delivery attempt is
//! claimed in the database first, so a message goes out once.

use crate::AppState;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Start the sender when `smtp_relay` is set; returns its task.
pub fn spawn(state: AppState) -> Option<tokio::task::JoinHandle<()>> {
    let relay = state.config.smtp_relay.trim().to_string();
    if relay.is_empty() {
        return None;
    }
    let (host, port) = match relay.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().unwrap_or(25)),
        None => (relay.clone(), 25),
    };
    // A plain relay on a trusted network (e.g. the host's own mail server), which handles TLS
    // onwards.
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .build();
    Some(tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_pending(&state, &transport).await {
                tracing::warn!(error = %e, "mail delivery round failed");
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }))
}

async fn deliver_pending(
    state: &AppState,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
) -> Result<(), somu_store::StoreError> {
    for m in state.store.pending_mail(20).await? {
        if !state.store.claim_mail(&m).await? {
            continue;
        }
        let outcome = match build(&state.config.mail_from, &m) {
            Ok(message) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        match &outcome {
            Ok(()) => tracing::info!(to = %m.to_addr, "mail delivered"),
            Err(e) => tracing::warn!(to = %m.to_addr, error = %e, "mail not delivered"),
        }
        state
            .store
            .mail_result(m.org_id, m.id, outcome.err().as_deref())
            .await?;
    }
    Ok(())
}

fn build(from: &str, m: &somu_store::outbox::PendingMail) -> Result<Message, String> {
    let from: Mailbox = from.parse().map_err(|e| format!("mail_from: {e}"))?;
    let to: Mailbox = m.to_addr.parse().map_err(|e| format!("recipient: {e}"))?;
    // Plain 8-bit text keeps links whole for people reading the raw message; Somu's mail has
    // no long lines, and other text falls back to an automatic encoding.
    let body = Body::new_with_encoding(m.body.clone(), ContentTransferEncoding::EightBit)
        .unwrap_or_else(Body::new);
    Message::builder()
        .from(from)
        .to(to)
        .subject(m.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| e.to_string())
}
