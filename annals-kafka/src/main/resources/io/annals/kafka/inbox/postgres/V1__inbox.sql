-- the events each consumer group has handled, written in the transaction of the handler's effects
CREATE TABLE annals_kafka_inbox (
    consumer_group TEXT        NOT NULL,
    event_id       TEXT        NOT NULL,
    processed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, event_id)
);
