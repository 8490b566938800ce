-- kehu schema version 16 (kehu 0.3.0), PostgreSQL. Kept to test upgrades; never edit.

-- tables
CREATE TABLE customer (
	id SERIAL NOT NULL,
	name VARCHAR(200) NOT NULL,
	phone VARCHAR(40),
	phone_digits VARCHAR(40),
	email VARCHAR(200),
	wechat VARCHAR(100),
	company VARCHAR(200),
	title VARCHAR(100),
	address VARCHAR(400),
	gender VARCHAR(20),
	tier VARCHAR(1) NOT NULL,
	source VARCHAR(20),
	referred_by INTEGER,
	notes VARCHAR,
	owner VARCHAR(100) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	archived_at TIMESTAMP WITH TIME ZONE,
	last_reached_at TIMESTAMP WITH TIME ZONE,
	last_other_at TIMESTAMP WITH TIME ZONE,
	last_thanks_at TIMESTAMP WITH TIME ZONE,
	attempts INTEGER DEFAULT 0 NOT NULL,
	salutation VARCHAR(40),
	language VARCHAR(2),
	CONSTRAINT ck_tier CHECK (tier IN ('A', 'B', 'C'))
);
CREATE TABLE journal_change (
	id SERIAL NOT NULL,
	made_by VARCHAR(100) NOT NULL,
	command VARCHAR(40) NOT NULL,
	made_at TIMESTAMP WITH TIME ZONE NOT NULL,
	undone_at TIMESTAMP WITH TIME ZONE
);
CREATE TABLE schema_version (
	version SERIAL NOT NULL,
	name VARCHAR(100) NOT NULL,
	applied_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE customer_pinyin (
	customer_id INTEGER NOT NULL,
	form VARCHAR(200) COLLATE "C" NOT NULL
);
CREATE TABLE journal_row (
	id SERIAL NOT NULL,
	change_id INTEGER NOT NULL,
	table_name VARCHAR(40) NOT NULL,
	row_key VARCHAR(400) NOT NULL,
	image VARCHAR
);
CREATE TABLE occasion (
	id SERIAL NOT NULL,
	customer_id INTEGER NOT NULL,
	kind VARCHAR(20) NOT NULL,
	label VARCHAR(100),
	calendar VARCHAR(10) NOT NULL,
	month INTEGER NOT NULL,
	day INTEGER NOT NULL,
	leap BOOLEAN NOT NULL,
	year INTEGER,
	note VARCHAR,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	CONSTRAINT ck_kind CHECK (kind IN ('birthday', 'wedding', 'child-birthday', 'company', 'other')),
	CONSTRAINT ck_calendar CHECK (calendar IN ('solar', 'lunar'))
);
CREATE TABLE profile_field (
	customer_id INTEGER NOT NULL,
	key VARCHAR(100) NOT NULL,
	value VARCHAR NOT NULL
);
CREATE TABLE prospect (
	customer_id INTEGER NOT NULL,
	level VARCHAR(1) NOT NULL,
	interest VARCHAR(400),
	budget VARCHAR(100),
	expected_on DATE,
	payment VARCHAR(10),
	current_car VARCHAR(200),
	usage VARCHAR(200),
	cares VARCHAR(200),
	competitors VARCHAR(400),
	best_time VARCHAR(100),
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	converted_at TIMESTAMP WITH TIME ZONE,
	lost_at TIMESTAMP WITH TIME ZONE,
	lost_reason VARCHAR(20),
	lost_note VARCHAR,
	CONSTRAINT ck_level CHECK (level IN ('H', 'A', 'B', 'C', 'O', 'N')),
	CONSTRAINT ck_lost_reason CHECK (lost_reason IS NULL OR lost_reason IN ('competitor', 'budget', 'postponed', 'price', 'unreachable', 'other'))
);
CREATE TABLE purchase (
	id SERIAL NOT NULL,
	customer_id INTEGER NOT NULL,
	product VARCHAR(400) NOT NULL,
	amount NUMERIC(14, 2),
	sold_at TIMESTAMP WITH TIME ZONE NOT NULL,
	delivered_at TIMESTAMP WITH TIME ZONE
);
CREATE TABLE snooze (
	key VARCHAR(40) NOT NULL,
	until TIMESTAMP WITH TIME ZONE NOT NULL,
	reason VARCHAR,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	made_by VARCHAR(100) NOT NULL,
	customer_id INTEGER
);
CREATE TABLE contact (
	id SERIAL NOT NULL,
	customer_id INTEGER NOT NULL,
	at TIMESTAMP WITH TIME ZONE NOT NULL,
	channel VARCHAR(20) NOT NULL,
	kind VARCHAR(20) NOT NULL,
	outcome VARCHAR(20) NOT NULL,
	note VARCHAR,
	purchase_id INTEGER,
	made_by VARCHAR(100) NOT NULL,
	CONSTRAINT ck_channel CHECK (channel IN ('call', 'visit', 'wechat', 'sms', 'email', 'letter', 'gift', 'other')),
	CONSTRAINT ck_kind CHECK (kind IN ('follow-up', 'thank-you', 'greeting', 'complaint', 'other')),
	CONSTRAINT ck_outcome CHECK (outcome IN ('reached', 'no-answer'))
);
CREATE TABLE closed_item (
	key VARCHAR(40) NOT NULL,
	customer_id INTEGER NOT NULL,
	closed_at TIMESTAMP WITH TIME ZONE NOT NULL,
	contact_id INTEGER,
	made_by VARCHAR(100) NOT NULL
);
CREATE TABLE followup (
	id SERIAL NOT NULL,
	customer_id INTEGER NOT NULL,
	due TIMESTAMP WITH TIME ZONE NOT NULL,
	note VARCHAR,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	done_at TIMESTAMP WITH TIME ZONE,
	contact_id INTEGER,
	made_by VARCHAR(100) NOT NULL
);
CREATE TABLE promise (
	id SERIAL NOT NULL,
	customer_id INTEGER NOT NULL,
	text VARCHAR NOT NULL,
	due TIMESTAMP WITH TIME ZONE NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	kept_at TIMESTAMP WITH TIME ZONE,
	cancelled_at TIMESTAMP WITH TIME ZONE,
	contact_id INTEGER,
	made_by VARCHAR(100) NOT NULL
);
CREATE TABLE prospect_grade (
	id SERIAL NOT NULL,
	customer_id INTEGER NOT NULL,
	level VARCHAR(1) NOT NULL,
	at TIMESTAMP WITH TIME ZONE NOT NULL,
	contact_id INTEGER,
	made_by VARCHAR(100) NOT NULL
);
CREATE TABLE prospect_loss (
	id SERIAL NOT NULL,
	customer_id INTEGER NOT NULL,
	lost_at TIMESTAMP WITH TIME ZONE NOT NULL,
	reason VARCHAR(20) NOT NULL,
	note VARCHAR,
	reopened_at TIMESTAMP WITH TIME ZONE NOT NULL,
	contact_id INTEGER,
	made_by VARCHAR(100) NOT NULL,
	CONSTRAINT ck_reason CHECK (reason IN ('competitor', 'budget', 'postponed', 'price', 'unreachable', 'other'))
);

-- constraints
ALTER TABLE customer ADD PRIMARY KEY (id);
ALTER TABLE customer ADD FOREIGN KEY(referred_by) REFERENCES customer (id) ON DELETE SET NULL;
ALTER TABLE journal_change ADD PRIMARY KEY (id);
ALTER TABLE schema_version ADD PRIMARY KEY (version);
ALTER TABLE customer_pinyin ADD PRIMARY KEY (customer_id, form);
ALTER TABLE customer_pinyin ADD FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE;
ALTER TABLE journal_row ADD PRIMARY KEY (id);
ALTER TABLE journal_row ADD FOREIGN KEY(change_id) REFERENCES journal_change (id) ON DELETE CASCADE;
ALTER TABLE occasion ADD PRIMARY KEY (id);
ALTER TABLE occasion ADD FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE;
ALTER TABLE profile_field ADD PRIMARY KEY (customer_id, key);
ALTER TABLE profile_field ADD FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE;
ALTER TABLE prospect ADD PRIMARY KEY (customer_id);
ALTER TABLE prospect ADD FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE;
ALTER TABLE purchase ADD PRIMARY KEY (id);
ALTER TABLE purchase ADD FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE;
ALTER TABLE snooze ADD PRIMARY KEY (key);
ALTER TABLE snooze ADD FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE;
ALTER TABLE contact ADD PRIMARY KEY (id);
ALTER TABLE contact ADD FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE;
ALTER TABLE contact ADD FOREIGN KEY(purchase_id) REFERENCES purchase (id) ON DELETE SET NULL;
ALTER TABLE closed_item ADD PRIMARY KEY (key);
ALTER TABLE closed_item ADD FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE;
ALTER TABLE closed_item ADD FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE SET NULL;
ALTER TABLE followup ADD PRIMARY KEY (id);
ALTER TABLE followup ADD FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE;
ALTER TABLE followup ADD FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE SET NULL;
ALTER TABLE promise ADD PRIMARY KEY (id);
ALTER TABLE promise ADD FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE;
ALTER TABLE promise ADD FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE SET NULL;
ALTER TABLE prospect_grade ADD PRIMARY KEY (id);
ALTER TABLE prospect_grade ADD FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE;
ALTER TABLE prospect_grade ADD FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE SET NULL;
ALTER TABLE prospect_loss ADD PRIMARY KEY (id);
ALTER TABLE prospect_loss ADD FOREIGN KEY(customer_id) REFERENCES customer (id) ON DELETE CASCADE;
ALTER TABLE prospect_loss ADD FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE SET NULL;

-- indexes
CREATE INDEX ix_customer_name ON customer (name);
CREATE INDEX ix_customer_owner ON customer (owner, archived_at, id, last_thanks_at, last_other_at, last_reached_at, created_at, tier);
CREATE INDEX ix_customer_phone_digits ON customer (phone_digits);
CREATE INDEX ix_customer_referred_by ON customer (referred_by, created_at);
CREATE INDEX ix_journal_change_made_by ON journal_change (made_by, id);
CREATE INDEX ix_customer_pinyin_form ON customer_pinyin (form, customer_id);
CREATE INDEX ix_journal_row_change ON journal_row (change_id);
CREATE INDEX ix_journal_row_key ON journal_row (table_name, row_key);
CREATE INDEX ix_occasion_customer ON occasion (customer_id);
CREATE INDEX ix_occasion_lunar ON occasion (customer_id) WHERE calendar = 'lunar';
CREATE INDEX ix_occasion_month_day ON occasion (month, day, customer_id) INCLUDE (calendar, id);
CREATE INDEX ix_purchase_customer ON purchase (customer_id, delivered_at) INCLUDE (id);
CREATE INDEX ix_purchase_delivered ON purchase (delivered_at, customer_id);
CREATE INDEX ix_snooze_customer ON snooze (customer_id, until);
CREATE INDEX ix_snooze_until ON snooze (until);
CREATE INDEX ix_contact_customer ON contact (customer_id, outcome, at, kind);
CREATE INDEX ix_contact_customer_kind ON contact (customer_id, kind, at);
CREATE INDEX ix_contact_kind_at ON contact (kind, at, outcome, customer_id);
CREATE INDEX ix_contact_noted ON contact (customer_id, id) WHERE note IS NOT NULL;
CREATE INDEX ix_followup_customer ON followup (customer_id);
CREATE INDEX ix_followup_customer_open ON followup (customer_id, due) WHERE done_at IS NULL;
CREATE INDEX ix_followup_open_due ON followup (due) WHERE done_at IS NULL;
CREATE INDEX ix_promise_customer ON promise (customer_id);
CREATE INDEX ix_promise_customer_open ON promise (customer_id, due) INCLUDE (id) WHERE kept_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX ix_promise_open_due ON promise (due) WHERE kept_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX ix_prospect_grade_customer ON prospect_grade (customer_id, at);
CREATE INDEX ix_prospect_loss_customer ON prospect_loss (customer_id, lost_at);
