BEGIN TRANSACTION;
CREATE TABLE blocks (
    owner   TEXT NOT NULL,
    target  TEXT NOT NULL,
    blocked INTEGER NOT NULL,
    time    INTEGER NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (owner, target)
) WITHOUT ROWID;
INSERT INTO "blocks" VALUES('alice','carol',1,1796229088987,29);
CREATE TABLE conversations (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL UNIQUE,
    last_seq  INTEGER NOT NULL DEFAULT 0,
    last_time INTEGER NOT NULL DEFAULT 0,
    version   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "conversations" VALUES(1,'c2c','alice|bob',17,1796229088997,64);
INSERT INTO "conversations" VALUES(2,'group','team',14,1796229088999,71);
INSERT INTO "conversations" VALUES(3,'system','@TIM#SYSTEM|carol',2,1796229088985,24);
INSERT INTO "conversations" VALUES(4,'system','@TIM#SYSTEM|bob',1,1796229088984,22);
INSERT INTO "conversations" VALUES(5,'system','@TIM#SYSTEM|alice',1,1796229088990,42);
CREATE TABLE friend_groups (
    owner   TEXT NOT NULL,
    name    TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    PRIMARY KEY (owner, name)
) WITHOUT ROWID;
INSERT INTO "friend_groups" VALUES('alice','Job',0,27);
INSERT INTO "friend_groups" VALUES('alice','Work',1,26);
CREATE TABLE friend_requests (
    sender   TEXT NOT NULL,
    receiver TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    source   TEXT NOT NULL DEFAULT '',
    remark   TEXT NOT NULL DEFAULT '',
    grp      TEXT NOT NULL DEFAULT '',
    time     INTEGER NOT NULL,
    state    TEXT NOT NULL,
    unread   INTEGER NOT NULL DEFAULT 1,
    version  INTEGER NOT NULL,
    PRIMARY KEY (sender, receiver)
) WITHOUT ROWID;
INSERT INTO "friend_requests" VALUES('alice','carol','','','','',1796229088985,'pending',1,23);
CREATE TABLE friends (
    owner    TEXT NOT NULL,
    friend   TEXT NOT NULL,
    remark   TEXT NOT NULL DEFAULT '',
    groups   TEXT NOT NULL DEFAULT '[]',
    source   TEXT NOT NULL DEFAULT '',
    add_time INTEGER NOT NULL DEFAULT 0,
    deleted  INTEGER NOT NULL DEFAULT 0,
    version  INTEGER NOT NULL,
    PRIMARY KEY (owner, friend)
) WITHOUT ROWID;
INSERT INTO "friends" VALUES('alice','bob','','["Job"]','',1796229088983,0,28);
INSERT INTO "friends" VALUES('bob','alice','','[]','',1796229088984,0,20);
CREATE TABLE group_applications (
    id          INTEGER PRIMARY KEY,
    conv_id     INTEGER NOT NULL,
    applicant   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    time        INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending',
    handled_by  TEXT NOT NULL DEFAULT '',
    handle_note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE group_departures (
    conv_id INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (user_id, conv_id)
) WITHOUT ROWID;
CREATE TABLE groups (
    conv_id      INTEGER PRIMARY KEY,
    group_id     TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    type         TEXT NOT NULL,
    owner        TEXT NOT NULL,
    create_time  INTEGER NOT NULL,
    introduction TEXT NOT NULL DEFAULT '',
    notification TEXT NOT NULL DEFAULT '',
    max_members  INTEGER NOT NULL,
    member_count INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 0
, avatar TEXT NOT NULL DEFAULT '', join_option TEXT NOT NULL DEFAULT 'forbidden', mute_all INTEGER NOT NULL DEFAULT 0, custom TEXT NOT NULL DEFAULT '', pinned TEXT NOT NULL DEFAULT '', dismissed INTEGER NOT NULL DEFAULT 0, parent TEXT NOT NULL DEFAULT '');
INSERT INTO "groups" VALUES(2,'team','Team','Work','bob',1796229088976,'','',100,3,39,'','forbidden',0,'','',0,'');
CREATE TABLE messages (
    conv_id       INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    message_id    TEXT NOT NULL,
    sender        TEXT NOT NULL,
    client_msg_id TEXT NOT NULL,
    time          INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    body          TEXT NOT NULL,            -- JSON
    mentions      TEXT NOT NULL DEFAULT '', -- JSON list of user IDs, '' when none
    mention_all   INTEGER NOT NULL DEFAULT 0,
    reply_to      TEXT,                     -- JSON
    recalled      INTEGER NOT NULL DEFAULT 0,
    recalled_by   TEXT,
    recall_time   INTEGER,
    version       INTEGER NOT NULL,
    PRIMARY KEY (conv_id, seq)
) WITHOUT ROWID;
INSERT INTO "messages" VALUES(1,1,'m00000001','bob','c1',1796229088975,'text','{"text":"hi"}','',0,NULL,0,NULL,NULL,4);
INSERT INTO "messages" VALUES(1,2,'m00000002','bob','c2',1796229088979,'text','{"text":"b0"}','',0,NULL,0,NULL,NULL,10);
INSERT INTO "messages" VALUES(1,3,'m00000003','alice','c3',1796229088979,'text','{"text":"a0"}','',0,NULL,0,NULL,NULL,11);
INSERT INTO "messages" VALUES(1,4,'m00000004','bob','c4',1796229088980,'text','{"text":"b1"}','',0,NULL,0,NULL,NULL,14);
INSERT INTO "messages" VALUES(1,5,'m00000005','bob','c5',1796229088981,'text','{}','',0,NULL,1,'bob',1796229088995,60);
INSERT INTO "messages" VALUES(1,6,'m00000006','bob','c6',1796229088987,'text','{"text":"b3"}','',0,NULL,0,NULL,NULL,31);
INSERT INTO "messages" VALUES(1,7,'m00000007','alice','c7',1796229088987,'text','{"text":"a3"}','',0,NULL,0,NULL,NULL,32);
INSERT INTO "messages" VALUES(1,8,'m00000008','bob','c8',1796229088988,'text','{"text":"b4"}','',0,NULL,0,NULL,NULL,35);
INSERT INTO "messages" VALUES(1,9,'m00000009','bob','c9',1796229088988,'text','{"text":"b5"}','',0,NULL,0,NULL,NULL,36);
INSERT INTO "messages" VALUES(1,10,'m00000011','bob','c11',1796229088991,'text','{"text":"b6"}','',0,NULL,0,NULL,NULL,45);
INSERT INTO "messages" VALUES(1,11,'m00000012','alice','c12',1796229088991,'text','{"text":"a6"}','',0,NULL,0,NULL,NULL,46);
INSERT INTO "messages" VALUES(1,12,'m00000014','bob','c14',1796229088992,'text','{"text":"b7"}','',0,NULL,0,NULL,NULL,50);
INSERT INTO "messages" VALUES(1,13,'m00000016','bob','c16',1796229088992,'text','{"text":"b8"}','',0,NULL,0,NULL,NULL,52);
INSERT INTO "messages" VALUES(1,14,'m00000018','bob','c18',1796229088993,'text','{"text":"b9"}','',0,NULL,0,NULL,NULL,54);
INSERT INTO "messages" VALUES(1,15,'m00000019','alice','c19',1796229088994,'text','{"text":"a9"}','',0,NULL,0,NULL,NULL,55);
INSERT INTO "messages" VALUES(1,16,'m00000021','bob','c21',1796229088996,'text','{"text":"b10"}','',0,NULL,0,NULL,NULL,62);
INSERT INTO "messages" VALUES(1,17,'m00000023','bob','c23',1796229088997,'text','{"text":"b11"}','',0,NULL,0,NULL,NULL,64);
INSERT INTO "messages" VALUES(2,1,'tip-1','bob','tip-tip-1',1796229088977,'tip','{"tip":"group_created","operator":"bob","targets":["carol"],"detail":{"name":"Team"}}','',0,NULL,0,NULL,NULL,7);
INSERT INTO "messages" VALUES(2,2,'tip-2','bob','tip-tip-2',1796229088989,'tip','{"tip":"members_added","operator":"bob","targets":["alice"],"detail":{}}','',0,NULL,0,NULL,NULL,40);
INSERT INTO "messages" VALUES(2,3,'m00000010','carol','c10',1796229088990,'text','{"text":"g5"}','',0,NULL,0,NULL,NULL,43);
INSERT INTO "messages" VALUES(2,4,'m00000013','carol','c13',1796229088992,'text','{"text":"g6"}','',0,NULL,0,NULL,NULL,49);
INSERT INTO "messages" VALUES(2,5,'m00000015','carol','c15',1796229088992,'text','{"text":"g7"}','',0,NULL,0,NULL,NULL,51);
INSERT INTO "messages" VALUES(2,6,'m00000017','carol','c17',1796229088993,'text','{"text":"g8"}','',0,NULL,0,NULL,NULL,53);
INSERT INTO "messages" VALUES(2,7,'m00000020','carol','c20',1796229088995,'text','{"text":"g9"}','',0,NULL,0,NULL,NULL,59);
INSERT INTO "messages" VALUES(2,8,'m00000022','carol','c22',1796229088996,'text','{"text":"g10"}','',0,NULL,0,NULL,NULL,63);
INSERT INTO "messages" VALUES(2,9,'m00000024','carol','c24',1796229088997,'text','{"text":"g11"}','',0,NULL,0,NULL,NULL,65);
INSERT INTO "messages" VALUES(2,10,'m00000025','carol','c25',1796229088998,'text','{"text":"t0"}','',0,NULL,0,NULL,NULL,67);
INSERT INTO "messages" VALUES(2,11,'m00000026','carol','c26',1796229088998,'text','{"text":"t1"}','',0,NULL,0,NULL,NULL,68);
INSERT INTO "messages" VALUES(2,12,'m00000027','carol','c27',1796229088998,'text','{"text":"t2"}','',0,NULL,0,NULL,NULL,69);
INSERT INTO "messages" VALUES(2,13,'m00000028','carol','c28',1796229088999,'text','{"text":"t3"}','',0,NULL,0,NULL,NULL,70);
INSERT INTO "messages" VALUES(2,14,'m00000029','carol','c29',1796229088999,'text','{"text":"t4"}','',0,NULL,0,NULL,NULL,71);
INSERT INTO "messages" VALUES(3,1,'tip-1n0','bob','notice-tip-1n0',1796229088978,'notice','{"notice":"added_to_group","operator":"bob","group_id":"team","group_name":"Team","detail":{}}','',0,NULL,0,NULL,NULL,9);
INSERT INTO "messages" VALUES(3,2,'n2','alice','notice-n2',1796229088985,'notice','{"notice":"friend_request","operator":"alice","group_id":"","group_name":"","detail":{"note":""}}','',0,NULL,0,NULL,NULL,24);
INSERT INTO "messages" VALUES(4,1,'n1','alice','notice-n1',1796229088984,'notice','{"notice":"friend_added","operator":"alice","group_id":"","group_name":"","detail":{"both":true}}','',0,NULL,0,NULL,NULL,22);
INSERT INTO "messages" VALUES(5,1,'tip-2n0','bob','notice-tip-2n0',1796229088990,'notice','{"notice":"added_to_group","operator":"bob","group_id":"team","group_name":"Team","detail":{}}','',0,NULL,0,NULL,NULL,42);
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO "meta" VALUES('version',71);
INSERT INTO "meta" VALUES('schema',1);
CREATE TABLE participants (
    conv_id         INTEGER NOT NULL,
    user_id         TEXT NOT NULL,
    conversation_id TEXT NOT NULL,          -- as this user sees it: C2C<peer> / GROUP<id>
    kind            TEXT NOT NULL,
    role            TEXT NOT NULL DEFAULT 'member',
    join_time       INTEGER NOT NULL DEFAULT 0,
    name_card       TEXT NOT NULL DEFAULT '',
    joined_seq      INTEGER NOT NULL DEFAULT 0,
    read_seq        INTEGER NOT NULL DEFAULT 0,
    read_version    INTEGER NOT NULL DEFAULT 0,
    pinned          INTEGER NOT NULL DEFAULT 0,
    pin_time        INTEGER NOT NULL DEFAULT 0,
    remind          TEXT NOT NULL DEFAULT 'notify',
    hidden_seq      INTEGER NOT NULL DEFAULT -1,
    cleared_seq     INTEGER NOT NULL DEFAULT 0,
    marked_unread   INTEGER NOT NULL DEFAULT 0,
    draft_text      TEXT NOT NULL DEFAULT '',
    draft_time      INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 0, mute_until INTEGER NOT NULL DEFAULT 0, custom TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (conv_id, user_id)
) WITHOUT ROWID;
INSERT INTO "participants" VALUES(1,'alice','C2Cbob','c2c','member',1796229088975,'',0,15,56,1,1796229088994,'notify',-1,0,0,'draft',5,61,0,'');
INSERT INTO "participants" VALUES(1,'bob','C2Calice','c2c','member',1796229088975,'',0,17,57,0,0,'notify',-1,0,0,'',0,57,0,'');
INSERT INTO "participants" VALUES(2,'alice','GROUPteam','group','member',1796229088989,'',1,9,66,0,0,'notify',-1,0,0,'',0,66,0,'');
INSERT INTO "participants" VALUES(2,'bob','GROUPteam','group','owner',1796229088976,'',0,2,0,0,0,'notify',-1,0,0,'',0,5,0,'');
INSERT INTO "participants" VALUES(2,'carol','GROUPteam','group','member',1796229088976,'',0,14,44,0,0,'notify',-1,0,0,'',0,44,0,'');
INSERT INTO "participants" VALUES(3,'carol','@TIM#SYSTEM','system','member',1796229088977,'',0,0,0,0,0,'notify',-1,0,0,'',0,8,0,'');
INSERT INTO "participants" VALUES(4,'bob','@TIM#SYSTEM','system','member',1796229088984,'',0,0,0,0,0,'notify',-1,0,0,'',0,21,0,'');
INSERT INTO "participants" VALUES(5,'alice','@TIM#SYSTEM','system','member',1796229088990,'',0,0,0,0,0,'notify',-1,0,0,'',0,41,0,'');
CREATE TABLE profiles (
    user_id        TEXT PRIMARY KEY,
    avatar         TEXT NOT NULL DEFAULT '',
    gender         TEXT NOT NULL DEFAULT 'unknown',
    birthday       INTEGER NOT NULL DEFAULT 0,
    location       TEXT NOT NULL DEFAULT '',
    signature      TEXT NOT NULL DEFAULT '',
    language       TEXT NOT NULL DEFAULT '',
    allow_type     TEXT NOT NULL DEFAULT 'approval',
    hide_last_seen INTEGER NOT NULL DEFAULT 0,
    custom         TEXT NOT NULL DEFAULT '{}',
    last_seen      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO "profiles" VALUES('bob','','unknown',0,'','','','anyone',0,'{}',0);
INSERT INTO "profiles" VALUES('carol','','unknown',0,'','','','approval',0,'{}',0);
CREATE TABLE sessions (
    token_hash     TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    device_name    TEXT NOT NULL DEFAULT '',
    platform       TEXT NOT NULL DEFAULT '',
    created        INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    revoked_reason TEXT
);
CREATE TABLE users (
    user_id       TEXT PRIMARY KEY,
    nickname      TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    created       INTEGER NOT NULL,
    banned        INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "users" VALUES('alice','alice',NULL,1796229088973,0,1);
INSERT INTO "users" VALUES('bob','Bobby',NULL,1796229088974,0,25);
INSERT INTO "users" VALUES('carol','not alice''s friend',NULL,1796229088974,0,30);
CREATE INDEX sessions_user ON sessions(user_id, revoked_reason, created);
CREATE INDEX conversations_version ON conversations(version);
CREATE INDEX participants_user ON participants(user_id, version);
CREATE INDEX participants_conversation_id ON participants(user_id, conversation_id);
CREATE UNIQUE INDEX messages_id ON messages(message_id);
CREATE UNIQUE INDEX messages_client_id ON messages(sender, client_msg_id);
CREATE INDEX messages_version ON messages(conv_id, version);
CREATE INDEX friends_version ON friends(owner, version);
CREATE INDEX friends_reverse ON friends(friend, deleted);
CREATE INDEX requests_sender ON friend_requests(sender, version);
CREATE INDEX requests_receiver ON friend_requests(receiver, version);
CREATE INDEX friend_groups_version ON friend_groups(owner, version);
CREATE INDEX blocks_version ON blocks(owner, version);
CREATE INDEX group_applications_pending
    ON group_applications(conv_id, status, applicant);
CREATE INDEX group_departures_version ON group_departures(user_id, version);
CREATE INDEX groups_parent ON groups(parent);
COMMIT;
