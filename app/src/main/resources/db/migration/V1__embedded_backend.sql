-- Embedded restaurant backend (serve.md §7.2.6). Valid on PostgreSQL and on H2 in PostgreSQL mode.
-- Ids are UUIDs written as text; times are UTC; money DECIMAL(10,2), costs DECIMAL(10,4); lists and
-- transcripts are JSON text.

CREATE TABLE customers (
    id                   VARCHAR(36)   PRIMARY KEY,
    restaurant_id        VARCHAR(64)   NOT NULL,
    phone                VARCHAR(32)   NOT NULL,
    first_name           VARCHAR(100),
    delivery_address     VARCHAR(200),
    delivery_city        VARCHAR(200),
    delivery_postal_code VARCHAR(200),
    delivery_notes       VARCHAR(200),
    delivery_lat         DOUBLE PRECISION,
    delivery_lng         DOUBLE PRECISION,
    total_orders         INTEGER       NOT NULL DEFAULT 0,
    total_spent          DECIMAL(10,2) NOT NULL DEFAULT 0,
    last_order_at        TIMESTAMP WITH TIME ZONE,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT customers_restaurant_phone UNIQUE (restaurant_id, phone)
);

CREATE TABLE orders (
    id                   VARCHAR(36)   PRIMARY KEY,
    restaurant_id        VARCHAR(64)   NOT NULL,
    order_number         INTEGER       NOT NULL,
    call_id              VARCHAR(36),
    customer_id          VARCHAR(36),
    customer_name        VARCHAR(100),
    customer_phone       VARCHAR(32),
    order_type           VARCHAR(16)   NOT NULL,
    delivery_address     VARCHAR(200),
    delivery_city        VARCHAR(200),
    delivery_postal_code VARCHAR(200),
    subtotal             DECIMAL(10,2) NOT NULL,
    delivery_fee         DECIMAL(10,2) NOT NULL,
    total                DECIMAL(10,2) NOT NULL,
    currency             VARCHAR(3)    NOT NULL,
    status               VARCHAR(16)   NOT NULL,
    estimated_ready_at   TIMESTAMP WITH TIME ZONE,
    payment_method       VARCHAR(16),
    notes                VARCHAR(500),
    source               VARCHAR(16)   NOT NULL,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    cancelled_at         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT orders_restaurant_number UNIQUE (restaurant_id, order_number)
);
CREATE INDEX orders_by_phone ON orders (restaurant_id, customer_phone, created_at);

CREATE TABLE order_items (
    id               VARCHAR(36)   PRIMARY KEY,
    order_id         VARCHAR(36)   NOT NULL REFERENCES orders (id),
    line_no          INTEGER       NOT NULL,
    menu_item_id     VARCHAR(64)   NOT NULL,
    name             VARCHAR(200)  NOT NULL,
    quantity         INTEGER       NOT NULL,
    unit_price       DECIMAL(10,2) NOT NULL,
    total_price      DECIMAL(10,2) NOT NULL,
    selected_options TEXT          NOT NULL,
    notes            VARCHAR(500)
);
CREATE INDEX order_items_by_order ON order_items (order_id, line_no);

CREATE TABLE order_counters (
    restaurant_id VARCHAR(64) PRIMARY KEY,
    last_number   INTEGER     NOT NULL
);

CREATE TABLE reservations (
    id                 VARCHAR(36)  PRIMARY KEY,
    restaurant_id      VARCHAR(64)  NOT NULL,
    call_id            VARCHAR(36),
    customer_id        VARCHAR(36),
    customer_name      VARCHAR(100) NOT NULL,
    customer_phone     VARCHAR(32),
    party_size         INTEGER      NOT NULL,
    reservation_time   TIMESTAMP WITH TIME ZONE NOT NULL,
    end_time           TIMESTAMP WITH TIME ZONE NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    seating_preference VARCHAR(16),
    notes              VARCHAR(500),
    source             VARCHAR(16)  NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    cancelled_at       TIMESTAMP WITH TIME ZONE
);
CREATE INDEX reservations_by_time ON reservations (restaurant_id, reservation_time);
CREATE INDEX reservations_by_phone ON reservations (restaurant_id, customer_phone);

CREATE TABLE messages (
    id            VARCHAR(36)  PRIMARY KEY,
    restaurant_id VARCHAR(64)  NOT NULL,
    call_id       VARCHAR(36),
    caller_phone  VARCHAR(32),
    caller_name   VARCHAR(100),
    content       VARCHAR(4000) NOT NULL,
    category      VARCHAR(32)  NOT NULL,
    is_urgent     BOOLEAN      NOT NULL,
    is_read       BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE faq_questions (
    id                VARCHAR(36)  PRIMARY KEY,
    restaurant_id     VARCHAR(64)  NOT NULL,
    question          VARCHAR(500) NOT NULL,
    question_key      VARCHAR(500) NOT NULL,
    answer            VARCHAR(2000),
    category          VARCHAR(32)  NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    ask_count         INTEGER      NOT NULL,
    last_caller_phone VARCHAR(32),
    last_asked_at     TIMESTAMP WITH TIME ZONE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT faq_questions_key UNIQUE (restaurant_id, question_key)
);

CREATE TABLE blocked_numbers (
    restaurant_id VARCHAR(64)  NOT NULL,
    phone         VARCHAR(32)  NOT NULL,
    reason        VARCHAR(200),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (restaurant_id, phone)
);

CREATE TABLE calls (
    id                  VARCHAR(36)   PRIMARY KEY,
    restaurant_id       VARCHAR(64)   NOT NULL,
    call_sid            VARCHAR(64),
    stream_sid          VARCHAR(64),
    mode                VARCHAR(16),
    direction           VARCHAR(16),
    caller_number       VARCHAR(32),
    called_number       VARCHAR(32),
    customer_id         VARCHAR(36),
    started_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at            TIMESTAMP WITH TIME ZONE,
    duration_sec        INTEGER,
    outcome             VARCHAR(32)   NOT NULL,
    end_reason          VARCHAR(32),
    transcript          TEXT,
    input_tokens        BIGINT        NOT NULL DEFAULT 0,
    output_tokens       BIGINT        NOT NULL DEFAULT 0,
    input_audio_tokens  BIGINT        NOT NULL DEFAULT 0,
    output_audio_tokens BIGINT        NOT NULL DEFAULT 0,
    cached_input_tokens BIGINT        NOT NULL DEFAULT 0,
    cost_ai             DECIMAL(10,4),
    cost_telecom        DECIMAL(10,4),
    cost_google         DECIMAL(10,4),
    cost_currency       VARCHAR(3),
    ai_model            VARCHAR(64),
    reconnects          INTEGER       NOT NULL DEFAULT 0,
    barge_ins           INTEGER       NOT NULL DEFAULT 0,
    transfer_target     VARCHAR(32),
    transfer_status     VARCHAR(16)
);
CREATE INDEX calls_by_sid ON calls (call_sid);
CREATE INDEX calls_by_outcome ON calls (outcome);
CREATE INDEX calls_by_started ON calls (restaurant_id, started_at);
