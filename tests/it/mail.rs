//! Mail goes out through an SMTP relay when one is configured.

use crate::helpers::TestApp;
use reqwest::StatusCode;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// A minimal SMTP server on 127.0.0.1 that accepts every message and hands its DATA over.
async fn fake_relay() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 fake ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buf) = data.as_mut() {
                        if line == "." {
                            let _ = tx.send(std::mem::take(buf));
                            data = None;
                            let _ = w.write_all(b"250 queued\r\n").await;
                        } else {
                            buf.push_str(&line);
                            buf.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 fake\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (addr, rx)
}

#[tokio::test]
async fn a_reset_link_is_delivered_through_the_configured_relay() {
    let (relay, mut received) = fake_relay().await;
    let app = TestApp::spawn_with(|c| {
        c.smtp_relay = relay.clone();
        c.mail_from = "somu@somu.test".into();
    })
    .await;
    let alpha = app.org("alpha", "Alpha").await;
    let r = app
        .client()
        .post_form("/password/forgot", &[("email", &alpha.learner)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let message = tokio::time::timeout(std::time::Duration::from_secs(20), received.recv())
        .await
        .expect("delivered within 20 s")
        .expect("a message");
    assert!(message.contains("To: learner@alpha.test"), "{message}");
    assert!(message.contains("/password/reset/"), "{message}");
    // Delivery is recorded, so the message is not sent again.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let mails = app
            .state
            .store
            .outbox(somu_domain::ids::OrgId::PLATFORM, 5)
            .await
            .unwrap();
        if mails[0].sent_at.is_some() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "delivery not recorded"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(app.state.store.pending_mail(10).await.unwrap().is_empty());
}
