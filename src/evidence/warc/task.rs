//! The run's one writer on its own blocking task: sites crawled at the
//! same time send their records through cloneable [`WarcHandle`]s, and the
//! records are written one after another, never interleaved.

use super::{Exchange, Metadata, RecordRef, Resource, RevisitExchange, WarcError, WarcWriter};

/// What the writer task answers.
type Answer<T> = oneshot::Sender<Result<T, WarcError>>;
use tokio::sync::{mpsc, oneshot};

impl WarcWriter {
    /// Moves the writer onto its own blocking task; records from every
    /// handle are written one after another, in the order they arrive.
    /// Must be called inside a tokio runtime. If every handle is dropped
    /// without [`WarcHandle::finish`], the task still finishes the archive.
    pub fn spawn(self) -> WarcHandle {
        let (tx, mut rx) = mpsc::channel::<Command>(32);
        tokio::task::spawn_blocking(move || {
            let mut writer = self;
            while let Some(command) = rx.blocking_recv() {
                match command {
                    Command::Exchange(ex, reply) => {
                        let _ = reply.send(writer.write_exchange(&ex));
                    }
                    Command::Revisit(rv, reply) => {
                        let _ = reply.send(writer.write_revisit(&rv));
                    }
                    Command::Resource(res, reply) => {
                        let _ = reply.send(writer.write_resource(&res));
                    }
                    Command::Metadata(meta, reply) => {
                        let _ = reply.send(writer.write_metadata(&meta));
                    }
                    Command::Finish(reply) => {
                        let _ = reply.send(writer.finish());
                        return;
                    }
                }
            }
            if let Err(e) = writer.finish() {
                tracing::error!("finishing the WARC archive: {e:#}");
            }
        });
        WarcHandle { tx }
    }
}

enum Command {
    Exchange(Exchange, Answer<RecordRef>),
    Revisit(Box<RevisitExchange>, Answer<RecordRef>),
    Resource(Resource, Answer<RecordRef>),
    Metadata(Metadata, Answer<RecordRef>),
    Finish(Answer<()>),
}

/// A cheap, cloneable way to send records to the run's one writer task.
#[derive(Clone)]
pub struct WarcHandle {
    tx: mpsc::Sender<Command>,
}

impl WarcHandle {
    /// Writes the exchange; the reference is to its response record.
    pub async fn write_exchange(&self, exchange: Exchange) -> Result<RecordRef, WarcError> {
        self.call(|reply| Command::Exchange(exchange, reply))
            .await?
    }

    /// Writes the 304 answer; the reference is to its revisit record.
    pub async fn write_revisit(&self, revisit: RevisitExchange) -> Result<RecordRef, WarcError> {
        self.call(|reply| Command::Revisit(Box::new(revisit), reply))
            .await?
    }

    /// Writes the resource; the reference is to its `resource` record.
    pub async fn write_resource(&self, resource: Resource) -> Result<RecordRef, WarcError> {
        self.call(|reply| Command::Resource(resource, reply))
            .await?
    }

    /// Writes the facts; the reference is to their `metadata` record.
    pub async fn write_metadata(&self, metadata: Metadata) -> Result<RecordRef, WarcError> {
        self.call(|reply| Command::Metadata(metadata, reply))
            .await?
    }

    /// Flushes and syncs the archive and writes the index. Records sent
    /// before this from any handle are written first; writes through other
    /// handles afterwards fail.
    pub async fn finish(self) -> Result<(), WarcError> {
        self.call(Command::Finish).await?
    }

    async fn call<T>(
        &self,
        command: impl FnOnce(oneshot::Sender<T>) -> Command,
    ) -> Result<T, WarcError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(command(reply))
            .await
            .map_err(|_| WarcError::WriterFinished)?;
        answer.await.map_err(|_| WarcError::NoAnswer)
    }
}
