-- Row-level security for a shared kehu book on PostgreSQL: each salesperson sees and changes
-- only the customers they own (customer.owner = their role name), with everything about them.
-- Run as a superuser (or the owner of the tables) after kehu has created the schema once.
-- Then, per salesperson:  CREATE ROLE alice LOGIN PASSWORD '…' IN ROLE sales;
-- and kehu with --db postgresql+psycopg://alice@host/kehu (kehu's user is then "alice").
-- A manager who sees everyone's customers: CREATE ROLE boss LOGIN PASSWORD '…' BYPASSRLS;
-- plus the same grants as sales (GRANT sales TO boss).
CREATE ROLE sales NOLOGIN;
GRANT USAGE ON SCHEMA public TO sales;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sales;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO sales;

ALTER TABLE customer ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_customers ON customer
    USING (owner = current_user) WITH CHECK (owner = current_user);

-- The children follow their customer: the subquery itself only sees the user's customers.
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
    USING (made_by = current_user) WITH CHECK (made_by = current_user);
