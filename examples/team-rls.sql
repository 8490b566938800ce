-- Row-level security for a shared kehu book on PostgreSQL: each salesperson sees and changes
-- only the customers they own (customer.owner = their role name), with everything about them.
-- Run as a superuser (or the owner of the tables) after kehu has created the schema once.
-- Then, per salesperson:  CREATE ROLE alice LOGIN PASSWORD '…' IN ROLE sales;
-- and kehu with --db postgresql+psycopg://alice@host/kehu (kehu's user is then "alice").
-- A manager who sees everyone's customers: CREATE ROLE boss LOGIN PASSWORD '…' BYPASSRLS;
-- plus the same grants as sales (GRANT sales TO boss).
CREATE ROLE sales NOLOGIN;
GRANT USAGE ON SCHEMA public TO sales;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Reading every table; writing only those kehu writes in everyday use. schema_version is read
-- only: a row there would lock the whole team out ("written by a newer kehu"). No TRUNCATE.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO sales;
GRANT INSERT, UPDATE, DELETE ON customer, customer_pinyin, profile_field, purchase, contact,
    promise, followup, snooze, closed_item, occasion, prospect, prospect_grade, prospect_loss,
    journal_change, journal_row TO sales;
-- USAGE (nextval, for new ids) but not SELECT: a sequence's last_value would tell the count of
-- everyone's rows. nextval still reveals roughly how many rows were added (README, Team mode).
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO sales;

ALTER TABLE customer ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_customers ON customer
    USING (owner = current_user) WITH CHECK (owner = current_user);

-- Every table about a customer follows its customer: the subquery itself only sees the
-- user's customers, so a row about a colleague's customer can be neither read nor written.
ALTER TABLE customer_pinyin ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_pinyin ON customer_pinyin
    USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));
ALTER TABLE profile_field ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_profile ON profile_field
    USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));
ALTER TABLE purchase ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_purchases ON purchase
    USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));
ALTER TABLE contact ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_contacts ON contact
    USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));
ALTER TABLE promise ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_promises ON promise
    USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));
ALTER TABLE followup ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_followups ON followup
    USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));
ALTER TABLE snooze ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_snoozes ON snooze
    USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));
ALTER TABLE closed_item ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_closed_items ON closed_item
    USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));
ALTER TABLE occasion ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_occasions ON occasion
    USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));
ALTER TABLE prospect ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_prospects ON prospect
    USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));
ALTER TABLE prospect_grade ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_prospect_grades ON prospect_grade
    USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));
ALTER TABLE prospect_loss ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_prospect_losses ON prospect_loss
    USING (EXISTS (SELECT 1 FROM customer c WHERE c.id = customer_id));

-- What one records is signed with one's own role: made_by cannot name a colleague.
CREATE POLICY signed_contacts ON contact AS RESTRICTIVE FOR INSERT
    WITH CHECK (made_by = current_user);
CREATE POLICY signed_promises ON promise AS RESTRICTIVE FOR INSERT
    WITH CHECK (made_by = current_user);
CREATE POLICY signed_followups ON followup AS RESTRICTIVE FOR INSERT
    WITH CHECK (made_by = current_user);
CREATE POLICY signed_snoozes ON snooze AS RESTRICTIVE FOR INSERT
    WITH CHECK (made_by = current_user);
CREATE POLICY signed_closed_items ON closed_item AS RESTRICTIVE FOR INSERT
    WITH CHECK (made_by = current_user);
CREATE POLICY signed_prospect_grades ON prospect_grade AS RESTRICTIVE FOR INSERT
    WITH CHECK (made_by = current_user);
CREATE POLICY signed_prospect_losses ON prospect_loss AS RESTRICTIVE FOR INSERT
    WITH CHECK (made_by = current_user);

-- The undo journal holds images of rows: each salesperson reads and writes only their own.
ALTER TABLE journal_change ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_changes ON journal_change
    USING (made_by = current_user) WITH CHECK (made_by = current_user);
ALTER TABLE journal_row ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_change_rows ON journal_row
    USING (EXISTS (SELECT 1 FROM journal_change j WHERE j.id = change_id));
-- Undo refuses when someone changed the same rows later, which a salesperson cannot see in the
-- journal: this function tells, for one's own change only, who changed them and with which
-- command (never a row's image). Without it, undo could wipe out the manager's later edit.
CREATE FUNCTION kehu_later_change(change integer) RETURNS TABLE (made_by text, command text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT c.made_by::text, c.command::text FROM journal_row mine
    JOIN journal_row r ON r.table_name = mine.table_name AND r.row_key = mine.row_key
    JOIN journal_change c ON c.id = r.change_id
    WHERE mine.change_id = change AND c.id > change AND c.undone_at IS NULL
    AND EXISTS (SELECT 1 FROM journal_change j WHERE j.id = change AND j.made_by = session_user)
    ORDER BY c.id LIMIT 1
$$;
REVOKE ALL ON FUNCTION kehu_later_change(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kehu_later_change(integer) TO sales;

-- A phone is one customer's: a salesperson adding (or typing into a card) a phone that a
-- colleague's customer has is refused, though the policy hides that customer. This function
-- tells which of the phones given (as their digits) a customer of someone else has, and nothing
-- more: not whose, nor which customer.
CREATE FUNCTION kehu_colleague_phones(phones text[]) RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT c.phone_digits::text FROM customer c
    WHERE c.phone_digits = ANY(phones) AND c.owner <> session_user
$$;
REVOKE ALL ON FUNCTION kehu_colleague_phones(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kehu_colleague_phones(text[]) TO sales;

-- A referral is thanked by whoever owns the referrer, also when the customer it brought in
-- belongs to a colleague: for one's own customers only, whom they referred, by the id (the
-- R item's key), the name the thank-you names and when they were added; nothing else about the
-- colleague's customer (no phone, no history).
CREATE FUNCTION kehu_referred() RETURNS TABLE (id integer, name text, referred_by integer,
    created_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT n.id, n.name::text, n.referred_by, n.created_at FROM customer r
    JOIN customer n ON n.referred_by = r.id WHERE r.owner = session_user
$$;
REVOKE ALL ON FUNCTION kehu_referred() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kehu_referred() TO sales;
