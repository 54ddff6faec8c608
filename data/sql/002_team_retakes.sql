-- SPDX-License-Identifier: GPL-2.0-or-later
-- Cuecard team campaigns, version 2: a rep may record another take of someone they already
-- recorded (a retake in OBS makes a second file): the take is added, the recipient stays
-- recorded and theirs. Everything else about cuecard_report is as in version 1; its owner and
-- grants are kept by CREATE OR REPLACE.

CREATE OR REPLACE FUNCTION cuecard_report(p_campaign text, p_id text, p_outcome text, p_file text,
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
       OR NOT (v_row.state = 'claimed' OR (v_row.state = 'recorded' AND p_outcome = 'recorded'))
    THEN
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
