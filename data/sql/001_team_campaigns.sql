-- SPDX-License-Identifier: GPL-2.0-or-later
-- Cuecard team campaigns, version 1: campaigns, their recipients (the queue's rows, by stable
-- id), reps, claims with a lease, and takes. Applied by `cuecard team init` in one transaction.
--
-- Who may do what is enforced here, not in the client: reps (members of cuecard_rep) can read,
-- and can change rows only through the functions below, which act for session_user alone; a
-- team lead (member of cuecard_lead, or the owner) imports, assigns and releases.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cuecard_lead') THEN
        CREATE ROLE cuecard_lead NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cuecard_rep') THEN
        CREATE ROLE cuecard_rep NOLOGIN;
    END IF;
END
$$;

CREATE TABLE cuecard_campaign (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    columns jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A rep is a database role (session_user when they connect).
CREATE TABLE cuecard_rep (
    name text PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cuecard_recipient (
    campaign_id bigint NOT NULL REFERENCES cuecard_campaign (id) ON DELETE CASCADE,
    id text NOT NULL,
    position integer NOT NULL,
    fields jsonb NOT NULL, -- [[name, value], …] in the queue's order
    owner text,            -- a rep's name: only they are handed this recipient
    state text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'claimed', 'recorded', 'skipped', 'removed')),
    claimed_by text,       -- who holds it (claimed) or recorded/skipped it
    lease_until timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, id)
);
CREATE INDEX cuecard_recipient_pending ON cuecard_recipient (campaign_id, position)
    WHERE state = 'pending';
CREATE INDEX cuecard_recipient_leases ON cuecard_recipient (campaign_id, lease_until)
    WHERE state = 'claimed';

CREATE TABLE cuecard_take (
    id bigserial PRIMARY KEY,
    campaign_id bigint NOT NULL,
    recipient_id text NOT NULL,
    rep text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('recorded', 'skipped', 'retake')),
    file text NOT NULL DEFAULT '',
    duration double precision NOT NULL DEFAULT 0,
    frames bigint NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT '',
    started_at text NOT NULL DEFAULT '',
    ended_at text NOT NULL DEFAULT '',
    reported_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (campaign_id, recipient_id) REFERENCES cuecard_recipient ON DELETE CASCADE,
    UNIQUE (campaign_id, recipient_id, rep, outcome, file) -- a report synced twice counts once
);
CREATE INDEX cuecard_take_rep ON cuecard_take (campaign_id, rep);

GRANT SELECT ON cuecard_campaign, cuecard_rep, cuecard_recipient, cuecard_take TO cuecard_rep;
GRANT SELECT, INSERT, UPDATE, DELETE ON cuecard_campaign, cuecard_rep, cuecard_recipient,
    cuecard_take TO cuecard_lead;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO cuecard_lead;

-- The next recipients for session_user: first any whose lease ran out (a rep who crashed),
-- then pending ones, their own or the pool's, in queue order; rows another rep is claiming right
-- now are skipped. Each step walks a partial index in order, so a claim costs the same with
-- 100,000 recipients as with 100.
CREATE FUNCTION cuecard_claim(p_campaign text, p_count integer, p_lease_seconds integer)
RETURNS SETOF cuecard_recipient
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_campaign bigint;
    v_lease timestamptz := now() + make_interval(secs => p_lease_seconds);
    v_got integer := 0;
BEGIN
    SELECT id INTO v_campaign FROM cuecard_campaign WHERE name = p_campaign;
    IF v_campaign IS NULL OR p_count <= 0 THEN
        RETURN;
    END IF;
    RETURN QUERY
    UPDATE cuecard_recipient r
    SET claimed_by = session_user, lease_until = v_lease, updated_at = now()
    FROM (SELECT id FROM cuecard_recipient
          WHERE campaign_id = v_campaign AND state = 'claimed' AND lease_until < now()
            AND (owner IS NULL OR owner = session_user)
          ORDER BY lease_until
          LIMIT p_count
          FOR UPDATE SKIP LOCKED) picked
    WHERE r.campaign_id = v_campaign AND r.id = picked.id
    RETURNING r.*;
    GET DIAGNOSTICS v_got = ROW_COUNT;
    IF v_got >= p_count THEN
        RETURN;
    END IF;
    RETURN QUERY
    UPDATE cuecard_recipient r
    SET state = 'claimed', claimed_by = session_user, lease_until = v_lease, updated_at = now()
    FROM (SELECT id FROM cuecard_recipient
          WHERE campaign_id = v_campaign AND state = 'pending'
            AND (owner IS NULL OR owner = session_user)
          ORDER BY position
          LIMIT p_count - v_got
          FOR UPDATE SKIP LOCKED) picked
    WHERE r.campaign_id = v_campaign AND r.id = picked.id
    RETURNING r.*;
END
$$;

-- Keeps session_user's leases on these recipients; returns those still theirs (a missing one
-- was taken over after its lease ran out: the rep must not record it).
CREATE FUNCTION cuecard_renew(p_campaign text, p_ids text[], p_lease_seconds integer)
RETURNS SETOF text
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    UPDATE cuecard_recipient r
    SET lease_until = now() + make_interval(secs => p_lease_seconds), updated_at = now()
    FROM cuecard_campaign c
    WHERE c.name = p_campaign AND r.campaign_id = c.id AND r.id = ANY (p_ids)
      AND r.state = 'claimed' AND r.claimed_by = session_user
    RETURNING r.id;
$$;

-- session_user's outcome for a recipient they hold (or held, while nobody else took it over):
-- recorded and skipped are final; a retake returns it to them as claimed. A report already
-- made (synced twice) changes nothing.
CREATE FUNCTION cuecard_report(p_campaign text, p_id text, p_outcome text, p_file text,
                               p_duration double precision, p_frames bigint, p_status text,
                               p_started text, p_ended text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_campaign bigint;
    v_row cuecard_recipient;
BEGIN
    SELECT id INTO v_campaign FROM cuecard_campaign WHERE name = p_campaign;
    IF v_campaign IS NULL THEN
        RAISE EXCEPTION 'no campaign named %', p_campaign;
    END IF;
    SELECT * INTO v_row FROM cuecard_recipient
    WHERE campaign_id = v_campaign AND id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'campaign % has no recipient %', p_campaign, p_id;
    END IF;
    IF EXISTS (SELECT FROM cuecard_take WHERE campaign_id = v_campaign AND recipient_id = p_id
               AND rep = session_user AND outcome = p_outcome AND file = coalesce(p_file, '')) THEN
        RETURN 'already reported';
    END IF;
    IF v_row.claimed_by IS DISTINCT FROM session_user
       OR v_row.state NOT IN ('claimed') THEN
        RAISE EXCEPTION 'recipient % is % by %, not claimed by %', p_id, v_row.state,
            coalesce(v_row.claimed_by, 'nobody'), session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO cuecard_take (campaign_id, recipient_id, rep, outcome, file, duration, frames,
                              status, started_at, ended_at)
    VALUES (v_campaign, p_id, session_user, p_outcome, coalesce(p_file, ''), p_duration,
            p_frames, coalesce(p_status, ''), coalesce(p_started, ''), coalesce(p_ended, ''));
    UPDATE cuecard_recipient
    SET state = CASE p_outcome WHEN 'recorded' THEN 'recorded' WHEN 'skipped' THEN 'skipped'
                               ELSE 'claimed' END,
        lease_until = CASE p_outcome WHEN 'retake' THEN lease_until ELSE NULL END,
        updated_at = now()
    WHERE campaign_id = v_campaign AND id = p_id;
    RETURN 'reported';
END
$$;

-- Gives back what session_user holds and has not recorded (a session that ends early).
CREATE FUNCTION cuecard_give_back(p_campaign text, p_ids text[])
RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH freed AS (
        UPDATE cuecard_recipient r
        SET state = 'pending', claimed_by = NULL, lease_until = NULL, updated_at = now()
        FROM cuecard_campaign c
        WHERE c.name = p_campaign AND r.campaign_id = c.id AND r.id = ANY (p_ids)
          AND r.state = 'claimed' AND r.claimed_by = session_user
        RETURNING 1)
    SELECT count(*)::integer FROM freed;
$$;

REVOKE ALL ON FUNCTION cuecard_claim(text, integer, integer),
    cuecard_renew(text, text[], integer),
    cuecard_report(text, text, text, text, double precision, bigint, text, text, text),
    cuecard_give_back(text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cuecard_claim(text, integer, integer),
    cuecard_renew(text, text[], integer),
    cuecard_report(text, text, text, text, double precision, bigint, text, text, text),
    cuecard_give_back(text, text[]) TO cuecard_rep, cuecard_lead;
