<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddFriendDialog</name>
    <message>
        <source>Add friend</source>
        <translation>添加好友</translation>
    </message>
    <message>
        <source>Hi, I&apos;m {name}</source>
        <translation>你好，我是{name}</translation>
    </message>
    <message>
        <source>Friend group (optional)</source>
        <translation>好友分组（可选）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>验证消息</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Send request</source>
        <translation>发送申请</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>AddMembersDialog</name>
    <message>
        <source>Add members</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
</context>
<context>
    <name>AppFlow</name>
    <message>
        <source>Sign in again to download your data.</source>
        <translation>请重新登录以重新下载你的数据。</translation>
    </message>
</context>
<context>
    <name>AvatarChooser</name>
    <message>
        <source>Choose picture…</source>
        <translation>选择图片…</translation>
    </message>
    <message>
        <source>Choose a picture</source>
        <translation>选择图片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.gif *.webp *.bmp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.gif *.webp *.bmp)</translation>
    </message>
    <message>
        <source>That file is not a picture.</source>
        <translation>该文件不是图片。</translation>
    </message>
</context>
<context>
    <name>AvatarCropDialog</name>
    <message>
        <source>Choose the part to show</source>
        <translation>选择要显示的部分</translation>
    </message>
    <message>
        <source>Drag the square to move it; the wheel or +/- changes its size.</source>
        <translation>拖动方框移动它；滚轮或 +/- 改变大小。</translation>
    </message>
</context>
<context>
    <name>Chat</name>
    <message>
        <source>{name} is typing…</source>
        <translation>{name}正在输入…</translation>
    </message>
    <message>
        <source>{a} and {b} are typing…</source>
        <translation>{a}和{b}正在输入…</translation>
    </message>
    <message>
        <source>{count} people are typing…</source>
        <translation>{count} 人正在输入…</translation>
    </message>
    <message numerus="yes">
        <source>Chat history · %n message(s)</source>
        <translation>
            <numerusform>聊天记录 · %n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <source>{seconds} s left</source>
        <translation>剩余 {seconds} 秒</translation>
    </message>
    <message>
        <source>{minutes} min left</source>
        <translation>剩余 {minutes} 分钟</translation>
    </message>
    <message>
        <source>Not sent.</source>
        <translation>未发送。</translation>
    </message>
    <message>
        <source>Saved messages</source>
        <translation>收藏消息</translation>
    </message>
    <message>
        <source>Notices about your groups and contacts</source>
        <translation>关于你的群聊和联系人的通知</translation>
    </message>
    <message>
        <source>Notes and files for all your devices</source>
        <translation>在你所有设备间同步的笔记和文件</translation>
    </message>
    <message>
        <source>Click to send it again.</source>
        <translation>点击重新发送。</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n 位成员</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n online</source>
        <translation>
            <numerusform>%n 人在线</numerusform>
        </translation>
    </message>
    <message>
        <source>The file could not be downloaded.</source>
        <translation>文件无法下载。</translation>
    </message>
    <message>
        <source>That message is not on this device.</source>
        <translation>此设备上没有这条消息。</translation>
    </message>
    <message>
        <source>Forwarded</source>
        <translation>已转发</translation>
    </message>
    <message>
        <source>Chat history with {name}</source>
        <translation>与{name}的聊天记录</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Chat history of {name}</source>
        <translation>{name}的聊天记录</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>已读</translation>
    </message>
    <message>
        <source>forwarded</source>
        <translation>转发</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <source>{count} read</source>
        <translation>{count} 人已读</translation>
    </message>
</context>
<context>
    <name>ChatPane</name>
    <message>
        <source>No messages on or after that day.</source>
        <translation>那天及之后没有消息。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>Re-edit</source>
        <translation>重新编辑</translation>
    </message>
    <message>
        <source>Retry sending</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>转发</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>复制链接</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>置顶</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <source>Select</source>
        <translation>多选</translation>
    </message>
    <message>
        <source>Who reacted</source>
        <translation>谁回应了</translation>
    </message>
    <message>
        <source>Delete for me</source>
        <translation>删除（仅自己）</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>View profile</source>
        <translation>查看资料</translation>
    </message>
    <message>
        <source>React</source>
        <translation>表情回应</translation>
    </message>
    <message>
        <source>More…</source>
        <translation>更多…</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n message(s) from all your devices? The others in the chat keep them.</source>
        <translation>
            <numerusform>从你的所有设备上删除 %n 条消息？聊天中的其他人仍会保留。</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Messenger</source>
        <translation>Messenger</translation>
    </message>
    <message>
        <source>Select a chat to start messaging</source>
        <translation>选择一个聊天，开始发消息</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Add a reaction</source>
        <translation>添加表情回应</translation>
    </message>
    <message>
        <source>Group info</source>
        <translation>群资料</translation>
    </message>
    <message>
        <source>Show group info</source>
        <translation>显示群资料</translation>
    </message>
    <message>
        <source>Scroll to the latest messages</source>
        <translation>滚动到最新消息</translation>
    </message>
    <message>
        <source>Go to the first unread message</source>
        <translation>跳到第一条未读消息</translation>
    </message>
    <message>
        <source>Go to the message that mentions you</source>
        <translation>跳到 @ 我的消息</translation>
    </message>
</context>
<context>
    <name>ChatSearchBar</name>
    <message>
        <source>Search in this chat</source>
        <translation>在此聊天中搜索</translation>
    </message>
    <message>
        <source>Newer match (Shift+Enter)</source>
        <translation>较新的结果（Shift+Enter）</translation>
    </message>
    <message>
        <source>Older match (Enter)</source>
        <translation>较早的结果（Enter）</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
</context>
<context>
    <name>ChatSearchViewModel</name>
    <message>
        <source>No results</source>
        <translation>无结果</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>第 %1 / %2 条</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Not sent: the message is too long. Shorten it and send again.</source>
        <translation>未发送：消息太长，请删减后再发送。</translation>
    </message>
    <message>
        <source>Not sent: too many @-mentions in one message.</source>
        <translation>未发送：一条消息中 @ 的人太多。</translation>
    </message>
    <message numerus="yes">
        <source>Not sent: the message is %n character(s) too long. Shorten it and send again.</source>
        <translation>
            <numerusform>未发送：消息超出 %n 个字，请删减后再发送。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sent: {reason}</source>
        <translation>未发送：{reason}</translation>
    </message>
    <message>
        <source>all</source>
        <comment>@all: mention everyone</comment>
        <translation>所有人</translation>
    </message>
    <message>
        <source>Everyone in the group</source>
        <translation>群内所有人</translation>
    </message>
</context>
<context>
    <name>ComposerWidget</name>
    <message>
        <source>Send files</source>
        <translation>发送文件</translation>
    </message>
    <message>
        <source>Edit message</source>
        <translation>编辑消息</translation>
    </message>
    <message>
        <source>Cancel editing (Esc)</source>
        <translation>取消编辑（Esc）</translation>
    </message>
    <message>
        <source>Cancel editing</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <source>Reply to {name}</source>
        <translation>回复 {name}</translation>
    </message>
    <message>
        <source>Write a message…</source>
        <translation>输入消息…</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Send files or pictures</source>
        <translation>发送文件或图片</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Emoji</source>
        <translation>表情</translation>
    </message>
    <message>
        <source>Files or pictures…</source>
        <translation>文件或图片…</translation>
    </message>
    <message>
        <source>Location…</source>
        <translation>位置…</translation>
    </message>
    <message>
        <source>Stickers</source>
        <translation>贴纸</translation>
    </message>
    <message>
        <source>Hold to record a voice message</source>
        <translation>按住录制语音消息</translation>
    </message>
    <message>
        <source>Record a voice message</source>
        <translation>录制语音消息</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送（Enter）</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Cancel reply (Esc)</source>
        <translation>取消回复（Esc）</translation>
    </message>
    <message>
        <source>Cancel reply</source>
        <translation>取消回复</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <source>Offline. Waiting to reconnect…</source>
        <translation>已离线，正在等待重新连接…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Reconnect now</source>
        <translation>立即重连</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>连接状态</translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message>
        <source>Choose a friend to see their profile</source>
        <translation>选择一位好友查看其资料</translation>
    </message>
    <message>
        <source>Search friends</source>
        <translation>搜索好友</translation>
    </message>
    <message>
        <source>Saved messages</source>
        <translation>收藏消息</translation>
    </message>
    <message>
        <source>New friends ({n})</source>
        <translation>新的朋友（{n}）</translation>
    </message>
    <message>
        <source>New friends</source>
        <translation>新的朋友</translation>
    </message>
    <message>
        <source>My groups</source>
        <translation>我的群聊</translation>
    </message>
    <message>
        <source>Blocked users</source>
        <translation>黑名单</translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>移出黑名单</translation>
    </message>
    <message>
        <source>Rename group…</source>
        <translation>重命名分组…</translation>
    </message>
    <message>
        <source>Delete group</source>
        <translation>删除分组</translation>
    </message>
    <message>
        <source>Rename group</source>
        <translation>重命名分组</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>新名称</translation>
    </message>
</context>
<context>
    <name>ConversationListWidget</name>
    <message>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>置顶</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>消息提醒</translation>
    </message>
    <message>
        <source>Notify</source>
        <translation>接收并提醒</translation>
    </message>
    <message>
        <source>Receive silently</source>
        <translation>接收但不提醒</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>屏蔽消息</translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>标为已读</translation>
    </message>
    <message>
        <source>Mark as unread</source>
        <translation>标为未读</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Clear history…</source>
        <translation>清空聊天记录…</translation>
    </message>
    <message>
        <source>Show topics</source>
        <translation>展开话题</translation>
    </message>
    <message>
        <source>Fold topics</source>
        <translation>收起话题</translation>
    </message>
    <message>
        <source>Clear history</source>
        <translation>清空聊天记录</translation>
    </message>
    <message>
        <source>Delete every message of “{name}” on all your devices? The others keep theirs.</source>
        <translation>要在你的所有设备上删除“{name}”中的全部消息吗？其他人的记录不受影响。</translation>
    </message>
    <message>
        <source>Search chats, people, messages</source>
        <translation>搜索聊天、联系人和消息</translation>
    </message>
    <message>
        <source>Filter conversations</source>
        <translation>筛选会话</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>New chat (Ctrl+N)</source>
        <translation>新建聊天（Ctrl+N）</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新建聊天</translation>
    </message>
</context>
<context>
    <name>Conversations</name>
    <message>
        <source>That did not work: {reason}</source>
        <translation>操作失败：{reason}</translation>
    </message>
    <message>
        <source>System notifications</source>
        <translation>系统通知</translation>
    </message>
    <message>
        <source>Saved messages</source>
        <translation>收藏消息</translation>
    </message>
    <message>
        <source>[@me]</source>
        <translation>[有人@我]</translation>
    </message>
    <message>
        <source>[Draft]</source>
        <translation>[草稿]</translation>
    </message>
</context>
<context>
    <name>DateJumpButton</name>
    <message>
        <source>Jump to a date</source>
        <translation>跳转到日期</translation>
    </message>
</context>
<context>
    <name>EditGroupDialog</name>
    <message>
        <source>Edit group</source>
        <translation>编辑群资料</translation>
    </message>
    <message>
        <source>Avatar</source>
        <translation>头像</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Who may join</source>
        <translation>加群方式</translation>
    </message>
    <message>
        <source>Notification</source>
        <translation>群公告</translation>
    </message>
    <message>
        <source>Introduction</source>
        <translation>群简介</translation>
    </message>
</context>
<context>
    <name>EditProfileDialog</name>
    <message>
        <source>Edit my profile</source>
        <translation>编辑个人资料</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Show a birthday</source>
        <translation>显示生日</translation>
    </message>
    <message>
        <source>Anyone (added at once)</source>
        <translation>任何人（直接添加）</translation>
    </message>
    <message>
        <source>Needs my approval</source>
        <translation>需要我验证</translation>
    </message>
    <message>
        <source>Nobody</source>
        <translation>不允许任何人</translation>
    </message>
    <message>
        <source>What you are up to (seen by your friends)</source>
        <translation>你在做什么（好友可见）</translation>
    </message>
    <message>
        <source>Hide when I was last online</source>
        <translation>隐藏我的最后在线时间</translation>
    </message>
    <message>
        <source>Avatar</source>
        <translation>头像</translation>
    </message>
    <message>
        <source>Nickname</source>
        <translation>昵称</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>个性签名</translation>
    </message>
    <message>
        <source>Who may add me</source>
        <translation>加我为好友的方式</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>EmojiPicker</name>
    <message>
        <source>Search emoji</source>
        <translation>搜索表情</translation>
    </message>
    <message>
        <source>Emoji</source>
        <translation>表情</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>Yesterday {time}</source>
        <translation>昨天 {time}</translation>
    </message>
</context>
<context>
    <name>ForwardDialog</name>
    <message>
        <source>Forward as chat history</source>
        <translation>合并转发</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>转发</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) as one chat history</source>
        <translation>
            <numerusform>%n 条消息合并为一条聊天记录</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation>搜索聊天</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Add a comment (optional)</source>
        <translation>添加留言（可选）</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>留言</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>GlobalSearchPanel</name>
    <message>
        <source>All chats</source>
        <translation>全部聊天</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>任何人</translation>
    </message>
    <message>
        <source>Me</source>
        <translation>我</translation>
    </message>
    <message>
        <source>People</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>{name} · not a friend</source>
        <translation>{name} · 非好友</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>1 message</source>
        <translation>1 条消息</translation>
    </message>
    <message>
        <source>{count} messages</source>
        <translation>{count} 条消息</translation>
    </message>
    <message>
        <source>On the server</source>
        <translation>服务器上的结果</translation>
    </message>
    <message>
        <source>Nothing more on the server</source>
        <translation>服务器上没有更多结果</translation>
    </message>
    <message>
        <source>No messages here; search the server?</source>
        <translation>本机没有找到消息，要在服务器上搜索吗？</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>File names</source>
        <translation>文件名</translation>
    </message>
    <message>
        <source>Links</source>
        <translation>链接</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>任何时间</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Past week</source>
        <translation>最近一周</translation>
    </message>
    <message>
        <source>Past month</source>
        <translation>最近一个月</translation>
    </message>
    <message>
        <source>Past year</source>
        <translation>最近一年</translation>
    </message>
    <message>
        <source>Between days…</source>
        <translation>指定日期…</translation>
    </message>
    <message>
        <source>Kind of message</source>
        <translation>消息类型</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>In which chat</source>
        <translation>在哪个聊天中</translation>
    </message>
    <message>
        <source>From whom</source>
        <translation>发送者</translation>
    </message>
    <message>
        <source>From day</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>To day</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>Search the server</source>
        <translation>搜索服务器</translation>
    </message>
    <message>
        <source>Also search history this device never downloaded</source>
        <translation>也搜索本设备从未下载过的聊天记录</translation>
    </message>
</context>
<context>
    <name>Group</name>
    <message>
        <source>Owner</source>
        <translation>群主</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>You are muted until %1</source>
        <translation>你已被禁言,至 %1 解除</translation>
    </message>
    <message>
        <source>Everyone is muted: only the owner and admins can send</source>
        <translation>全员禁言中:仅群主和管理员可发言</translation>
    </message>
</context>
<context>
    <name>GroupPanel</name>
    <message>
        <source>Muted</source>
        <translation>禁言中</translation>
    </message>
    <message>
        <source>ID: %1</source>
        <translation>群号:%1</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n 位成员</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n online</source>
        <translation>
            <numerusform>%n 人在线</numerusform>
        </translation>
    </message>
    <message>
        <source>Unmute everyone</source>
        <translation>解除全员禁言</translation>
    </message>
    <message>
        <source>Mute everyone</source>
        <translation>全员禁言</translation>
    </message>
    <message>
        <source>Mute for</source>
        <translation>禁言</translation>
    </message>
    <message>
        <source>Mention</source>
        <translation>@ 提及</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>解除禁言</translation>
    </message>
    <message>
        <source>Make admin</source>
        <translation>设为管理员</translation>
    </message>
    <message>
        <source>Remove admin</source>
        <translation>取消管理员</translation>
    </message>
    <message>
        <source>Remove from group…</source>
        <translation>移出群聊…</translation>
    </message>
    <message>
        <source>Transfer ownership…</source>
        <translation>转让群主…</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>移出 %1</translation>
    </message>
    <message>
        <source>Reason (optional, told to them):</source>
        <translation>原因(可选,会告知对方):</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移出</translation>
    </message>
    <message>
        <source>Transfer ownership</source>
        <translation>转让群主</translation>
    </message>
    <message>
        <source>Make %1 the owner of this group? You become a plain member.</source>
        <translation>将 %1 设为群主?你将成为普通成员。</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转让</translation>
    </message>
    <message>
        <source>My name card</source>
        <translation>我的群名片</translation>
    </message>
    <message>
        <source>How this group shows your name (empty: your nickname):</source>
        <translation>你在本群显示的名字(留空则用昵称):</translation>
    </message>
    <message>
        <source>Leave group</source>
        <translation>退出群聊</translation>
    </message>
    <message>
        <source>Leave this group? You will no longer get its messages.</source>
        <translation>退出此群?你将不再收到群消息。</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Dismiss group</source>
        <translation>解散群聊</translation>
    </message>
    <message>
        <source>Dismiss this group for everyone? This cannot be undone.</source>
        <translation>为所有人解散此群?此操作无法撤销。</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>解散</translation>
    </message>
    <message>
        <source>Notification</source>
        <translation>群公告</translation>
    </message>
    <message>
        <source>Messages:</source>
        <translation>群消息：</translation>
    </message>
    <message>
        <source>Notify</source>
        <translation>接收并提醒</translation>
    </message>
    <message>
        <source>Receive silently</source>
        <translation>接收但不提醒</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>屏蔽消息</translation>
    </message>
    <message>
        <source>Notifications of this group</source>
        <translation>本群的消息提醒</translation>
    </message>
    <message>
        <source>Introduction</source>
        <translation>群简介</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Group members</source>
        <translation>群成员</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>群名称</translation>
    </message>
    <message>
        <source>Group notification</source>
        <translation>群公告</translation>
    </message>
    <message>
        <source>Add members</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Join requests</source>
        <translation>入群申请</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n 天</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n 分钟</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n 小时</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GroupTexts</name>
    <message>
        <source>{applicant} asks to join {group}</source>
        <translation>{applicant} 申请加入 {group}</translation>
    </message>
    <message>
        <source>{people} joined the group</source>
        <translation>{people} 加入了群聊</translation>
    </message>
    <message>
        <source>{people} left the group</source>
        <translation>{people} 退出了群聊</translation>
    </message>
    <message>
        <source>{who} removed {people}</source>
        <translation>{who} 将 {people} 移出了群聊</translation>
    </message>
    <message>
        <source>{who} made {people} an admin</source>
        <translation>{who} 将 {people} 设为管理员</translation>
    </message>
    <message>
        <source>{who} removed {people} as admin</source>
        <translation>{who} 取消了 {people} 的管理员身份</translation>
    </message>
    <message>
        <source>{who} made {people} the owner</source>
        <translation>{who} 将群主转让给 {people}</translation>
    </message>
    <message>
        <source>{who} changed the group profile</source>
        <translation>{who} 修改了群资料</translation>
    </message>
    <message>
        <source>{who} created the topic “{name}”</source>
        <translation>{who} 创建了话题“{name}”</translation>
    </message>
    <message>
        <source>{people} changed their name card</source>
        <translation>{people} 修改了群名片</translation>
    </message>
    <message>
        <source>{who} approved your request to join {group}</source>
        <translation>{who} 同意了你加入 {group} 的申请</translation>
    </message>
    <message>
        <source>{who} declined your request to join {group}</source>
        <translation>{who} 拒绝了你加入 {group} 的申请</translation>
    </message>
    <message>
        <source>{who} removed you from {group}</source>
        <translation>{who} 将你移出了 {group}</translation>
    </message>
    <message>
        <source>{who} dismissed {group}</source>
        <translation>{who} 解散了 {group}</translation>
    </message>
    <message>
        <source>You left {group}</source>
        <translation>你已退出 {group}</translation>
    </message>
    <message>
        <source>{who} made you an admin of {group}</source>
        <translation>{who} 将你设为 {group} 的管理员</translation>
    </message>
    <message>
        <source>{who} removed you as admin of {group}</source>
        <translation>{who} 取消了你在 {group} 的管理员身份</translation>
    </message>
    <message>
        <source>{who} removed {people}: {reason}</source>
        <translation>{who} 将 {people} 移出了群聊:{reason}</translation>
    </message>
    <message>
        <source>{who} renamed the group to “{name}”</source>
        <translation>{who} 将群名改为“{name}”</translation>
    </message>
    <message>
        <source>{who} muted everyone</source>
        <translation>{who} 开启了全员禁言</translation>
    </message>
    <message>
        <source>{who} unmuted everyone</source>
        <translation>{who} 关闭了全员禁言</translation>
    </message>
    <message>
        <source>{who} changed the group notification</source>
        <translation>{who} 修改了群公告</translation>
    </message>
    <message>
        <source>{who} unmuted {people}</source>
        <translation>{who} 解除了 {people} 的禁言</translation>
    </message>
    <message>
        <source>{who} muted {people}</source>
        <translation>{who} 禁言了 {people}</translation>
    </message>
</context>
<context>
    <name>Groups</name>
    <message>
        <source>Owner or admin approves</source>
        <translation>需群主或管理员审批</translation>
    </message>
    <message>
        <source>Anyone may join</source>
        <translation>任何人可加入</translation>
    </message>
    <message>
        <source>Nobody may ask to join</source>
        <translation>禁止申请加入</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <source>Previous picture (←)</source>
        <translation>上一张（←）</translation>
    </message>
    <message>
        <source>Next picture (→)</source>
        <translation>下一张（→）</translation>
    </message>
    <message>
        <source>Zoom out (−)</source>
        <translation>缩小（−）</translation>
    </message>
    <message>
        <source>Zoom in (+)</source>
        <translation>放大（+）</translation>
    </message>
    <message>
        <source>Fit to window (0)</source>
        <translation>适应窗口（0）</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Open with the system viewer</source>
        <translation>用系统查看器打开</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
</context>
<context>
    <name>JoinGroupDialog</name>
    <message>
        <source>Join a group</source>
        <translation>加入群聊</translation>
    </message>
    <message>
        <source>Group ID</source>
        <translation>群号</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>A note for the owner and admins (optional)</source>
        <translation>给群主和管理员的附言(可选)</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>加入</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n 位成员</numerusform>
        </translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>This group takes no join requests.</source>
        <translation>此群不接受入群申请。</translation>
    </message>
    <message>
        <source>Your request was sent. You will be told the answer.</source>
        <translation>申请已发送,处理结果会通知你。</translation>
    </message>
</context>
<context>
    <name>KickDialog</name>
    <message>
        <source>Signed in on another device</source>
        <translation>已在其他设备上登录</translation>
    </message>
    <message>
        <source>{user} signed in on another device, so this one was signed out. Sign in again to use it here.</source>
        <translation>{user} 已在其他设备上登录，因此这台设备已退出登录。如需在这里继续使用，请重新登录。</translation>
    </message>
    <message>
        <source>Your sign-in has expired</source>
        <translation>登录已过期</translation>
    </message>
    <message>
        <source>The UserSig of {user} has expired. Sign in again to go on.</source>
        <translation>{user} 的 UserSig 已过期，请重新登录后继续。</translation>
    </message>
    <message>
        <source>This account is banned</source>
        <translation>此账号已被封禁</translation>
    </message>
    <message>
        <source>The server&apos;s administrator has banned {user}.</source>
        <translation>服务器管理员已封禁 {user}。</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>已退出登录</translation>
    </message>
    <message>
        <source>{user} was signed out of this device.</source>
        <translation>{user} 已在这台设备上退出登录。</translation>
    </message>
    <message>
        <source>The server ended the session of {user}. Sign in again to go on.</source>
        <translation>服务器结束了 {user} 的会话，请重新登录后继续。</translation>
    </message>
    <message>
        <source>Server message: {text}</source>
        <translation>服务器消息：{text}</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>重新登录</translation>
    </message>
</context>
<context>
    <name>LocationDialog</name>
    <message>
        <source>Send a location</source>
        <translation>发送位置</translation>
    </message>
    <message>
        <source>What is there (optional)</source>
        <translation>那里是什么（可选）</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Messenger — {user}</source>
        <translation>Messenger — {user}</translation>
    </message>
    <message>
        <source>Messenger</source>
        <translation>Messenger</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message numerus="yes">
        <source>%n new friend request(s)</source>
        <translation>
            <numerusform>%n 个新的好友申请</numerusform>
        </translation>
    </message>
    <message>
        <source>Contacts come with friends and groups.</source>
        <translation>联系人功能将随好友与群组功能一同推出。</translation>
    </message>
    <message>
        <source>&amp;Messenger</source>
        <translation>Messenger(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>S&amp;witch account…</source>
        <translation>切换账号(&amp;W)…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Edit my &amp;profile…</source>
        <translation>编辑个人资料(&amp;P)…</translation>
    </message>
    <message>
        <source>New chat…</source>
        <translation>新建聊天…</translation>
    </message>
    <message>
        <source>&amp;New group…</source>
        <translation>新建群聊(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Join a group…</source>
        <translation>加入群聊(&amp;J)…</translation>
    </message>
    <message>
        <source>Go to chat…</source>
        <translation>转到聊天…</translation>
    </message>
    <message>
        <source>Search in this chat</source>
        <translation>在此聊天中搜索</translation>
    </message>
    <message>
        <source>Search everything</source>
        <translation>全局搜索</translation>
    </message>
    <message>
        <source>Previous chat</source>
        <translation>上一个聊天</translation>
    </message>
    <message>
        <source>Next chat</source>
        <translation>下一个聊天</translation>
    </message>
</context>
<context>
    <name>MediaActions</name>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Save file</source>
        <translation>保存文件</translation>
    </message>
</context>
<context>
    <name>MergedViewer</name>
    <message>
        <source>Forwarded messages</source>
        <translation>转发的消息</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>Failed</source>
        <translation>发送失败</translation>
    </message>
    <message>
        <source>Re-edit</source>
        <translation>重新编辑</translation>
    </message>
    <message>
        <source>Unread messages</source>
        <translation>以下为未读消息</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>The group was updated</source>
        <translation>群资料已更新</translation>
    </message>
    <message>
        <source>[Unsupported message]</source>
        <translation>[暂不支持的消息]</translation>
    </message>
    <message>
        <source>[Custom message]</source>
        <translation>[自定义消息]</translation>
    </message>
    <message>
        <source>You recalled a message</source>
        <translation>你撤回了一条消息</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>[Image]</source>
        <translation>[图片]</translation>
    </message>
    <message>
        <source>[File]</source>
        <translation>[文件]</translation>
    </message>
    <message>
        <source>[Voice]</source>
        <translation>[语音]</translation>
    </message>
    <message>
        <source>[Video]</source>
        <translation>[视频]</translation>
    </message>
    <message>
        <source>[Sticker]</source>
        <translation>[表情]</translation>
    </message>
    <message>
        <source>[Location]</source>
        <translation>[位置]</translation>
    </message>
    <message>
        <source>[Chat history]</source>
        <translation>[聊天记录]</translation>
    </message>
    <message>
        <source>{name} recalled a message</source>
        <translation>{name}撤回了一条消息</translation>
    </message>
    <message>
        <source>you</source>
        <translation>你</translation>
    </message>
    <message>
        <source>{who} created the group “{name}”</source>
        <translation>{who}创建了群聊“{name}”</translation>
    </message>
    <message>
        <source>{who} added {people}</source>
        <translation>{who}邀请{people}加入了群聊</translation>
    </message>
    <message>
        <source>{who} wants to be your friend</source>
        <translation>{who} 请求添加你为好友</translation>
    </message>
    <message>
        <source>{who} accepted your friend request</source>
        <translation>{who} 通过了你的好友申请</translation>
    </message>
    <message>
        <source>{who} declined your friend request</source>
        <translation>{who} 拒绝了你的好友申请</translation>
    </message>
    <message>
        <source>{who} added you as a friend</source>
        <translation>{who} 已添加你为好友</translation>
    </message>
    <message>
        <source>{who} added you to {group}</source>
        <translation>{who}邀请你加入了群聊“{group}”</translation>
    </message>
    <message>
        <source>{who} wants to be your friend: {note}</source>
        <translation>{who} 请求添加你为好友：{note}</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between names in a list</comment>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>NewChatDialog</name>
    <message>
        <source>New chat</source>
        <translation>新建聊天</translation>
    </message>
    <message>
        <source>Search people by ID or nickname</source>
        <translation>按 ID 或昵称搜索用户</translation>
    </message>
    <message>
        <source>Search people</source>
        <translation>搜索用户</translation>
    </message>
    <message>
        <source>People found</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Type an ID or a nickname.</source>
        <translation>请输入 ID 或昵称。</translation>
    </message>
    <message>
        <source>Nobody found.</source>
        <translation>未找到用户。</translation>
    </message>
</context>
<context>
    <name>NewGroupDialog</name>
    <message>
        <source>New group</source>
        <translation>新建群聊</translation>
    </message>
    <message>
        <source>Work group (members invite)</source>
        <translation>工作群(成员邀请入群)</translation>
    </message>
    <message>
        <source>Public group (anyone may ask to join)</source>
        <translation>公开群(任何人可申请加入)</translation>
    </message>
    <message>
        <source>Meeting (anyone may join)</source>
        <translation>会议群(任何人可加入)</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社群</translation>
    </message>
    <message>
        <source>Live room</source>
        <translation>直播群</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Who may join</source>
        <translation>加群方式</translation>
    </message>
    <message>
        <source>Avatar</source>
        <translation>头像</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Members (a live room starts empty: people join it)</source>
        <translation>成员(直播群创建时为空,观众自行加入)</translation>
    </message>
</context>
<context>
    <name>NotificationsViewModel</name>
    <message>
        <source>New message</source>
        <translation>新消息</translation>
    </message>
    <message>
        <source>{count} new messages</source>
        <translation>{count} 条新消息</translation>
    </message>
    <message>
        <source>{count} new messages in {chats} chats</source>
        <translation>{chats} 个聊天中有 {count} 条新消息</translation>
    </message>
    <message>
        <source>and {more} more</source>
        <translation>还有 {more} 个聊天</translation>
    </message>
    <message>
        <source>{sender} mentioned you: {text}</source>
        <translation>{sender}@了你：{text}</translation>
    </message>
    <message>
        <source>System notifications</source>
        <translation>系统通知</translation>
    </message>
</context>
<context>
    <name>People</name>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>last seen recently</source>
        <translation>最近在线</translation>
    </message>
    <message>
        <source>last seen {date}</source>
        <translation>最后在线 {date}</translation>
    </message>
    <message>
        <source>last seen at {time}</source>
        <translation>最后在线 {time}</translation>
    </message>
    <message>
        <source>Added as a friend</source>
        <translation>已添加为好友</translation>
    </message>
    <message>
        <source>Request sent</source>
        <translation>好友申请已发送</translation>
    </message>
    <message>
        <source>Friends</source>
        <translation>好友</translation>
    </message>
</context>
<context>
    <name>PickerWidget</name>
    <message>
        <source>Search by user ID or nickname</source>
        <translation>按用户 ID 或昵称搜索</translation>
    </message>
</context>
<context>
    <name>PinnedBar</name>
    <message>
        <source>Pinned message</source>
        <translation>置顶消息</translation>
    </message>
    <message>
        <source>Pinned message {index} of {count}</source>
        <translation>置顶消息 {index}/{count}</translation>
    </message>
    <message>
        <source>Show the pinned message</source>
        <translation>查看置顶消息</translation>
    </message>
</context>
<context>
    <name>ProfileCard</name>
    <message>
        <source>Nickname: {name}</source>
        <translation>昵称：{name}</translation>
    </message>
    <message>
        <source>ID: {id}</source>
        <translation>ID：{id}</translation>
    </message>
    <message>
        <source>Location: {place}</source>
        <translation>地区：{place}</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Gender: {gender}</source>
        <translation>性别：{gender}</translation>
    </message>
    <message>
        <source>Friend groups: {groups}</source>
        <translation>好友分组：{groups}</translation>
    </message>
    <message>
        <source>You have blocked this user.</source>
        <translation>你已将该用户加入黑名单。</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>发消息</translation>
    </message>
    <message>
        <source>Add friend</source>
        <translation>添加好友</translation>
    </message>
    <message>
        <source>Set remark…</source>
        <translation>设置备注…</translation>
    </message>
    <message>
        <source>Friend groups…</source>
        <translation>好友分组…</translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>移出黑名单</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>加入黑名单</translation>
    </message>
    <message>
        <source>Delete friend</source>
        <translation>删除好友</translation>
    </message>
    <message>
        <source>Set remark</source>
        <translation>设置备注</translation>
    </message>
    <message>
        <source>Remark for {name}</source>
        <translation>{name} 的备注</translation>
    </message>
    <message>
        <source>Friend groups</source>
        <translation>好友分组</translation>
    </message>
    <message>
        <source>Friend groups, separated by commas</source>
        <translation>好友分组，用逗号分隔</translation>
    </message>
    <message>
        <source>Delete {name} from your friends?</source>
        <translation>将 {name} 从好友中删除？</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>ProfileCardDialog</name>
    <message>
        <source>Profile</source>
        <translation>个人资料</translation>
    </message>
</context>
<context>
    <name>QuickSwitcherDialog</name>
    <message>
        <source>Go to chat</source>
        <translation>转到聊天</translation>
    </message>
    <message>
        <source>Go to chat…</source>
        <translation>转到聊天…</translation>
    </message>
    <message>
        <source>Chat name or ID</source>
        <translation>聊天名称或 ID</translation>
    </message>
    <message>
        <source>Matching chats</source>
        <translation>匹配的聊天</translation>
    </message>
</context>
<context>
    <name>ReactionBar</name>
    <message>
        <source>More emoji</source>
        <translation>更多表情</translation>
    </message>
</context>
<context>
    <name>ReadersDialog</name>
    <message>
        <source>Read by</source>
        <translation>已读情况</translation>
    </message>
    <message>
        <source>Read ({count})</source>
        <translation>已读（{count}）</translation>
    </message>
    <message>
        <source>Unread ({count})</source>
        <translation>未读（{count}）</translation>
    </message>
</context>
<context>
    <name>Refusal</name>
    <message>
        <source>This user does not accept messages or requests from you.</source>
        <translation>对方不接收你的消息或好友申请。</translation>
    </message>
    <message>
        <source>This user does not accept friend requests.</source>
        <translation>对方不允许任何人添加好友。</translation>
    </message>
    <message>
        <source>Your request is still waiting for an answer.</source>
        <translation>你的好友申请仍在等待对方验证。</translation>
    </message>
    <message>
        <source>Already in your friend list.</source>
        <translation>已经是你的好友。</translation>
    </message>
    <message>
        <source>You have blocked this user. Unblock them first.</source>
        <translation>你已将对方加入黑名单，请先移出。</translation>
    </message>
    <message>
        <source>There is no such user.</source>
        <translation>该用户不存在。</translation>
    </message>
    <message>
        <source>There is no such group.</source>
        <translation>该群组不存在。</translation>
    </message>
    <message>
        <source>You are not a member of this group.</source>
        <translation>你不是该群组的成员。</translation>
    </message>
    <message>
        <source>You are muted here.</source>
        <translation>你已被禁言。</translation>
    </message>
    <message>
        <source>This kind of group does not allow that.</source>
        <translation>此类群组不允许该操作。</translation>
    </message>
    <message>
        <source>Hand the group to someone else (or dismiss it) before leaving.</source>
        <translation>退出前请先转让群主（或解散该群）。</translation>
    </message>
    <message>
        <source>The group is full.</source>
        <translation>群成员已满。</translation>
    </message>
    <message>
        <source>Another admin has already answered this request.</source>
        <translation>其他管理员已处理该申请。</translation>
    </message>
    <message>
        <source>You have reached the limit for this.</source>
        <translation>已达到上限。</translation>
    </message>
    <message>
        <source>It is too late to recall this message.</source>
        <translation>已超过可撤回的时间。</translation>
    </message>
    <message>
        <source>Too many pinned messages; unpin one first.</source>
        <translation>置顶消息过多，请先取消一条置顶。</translation>
    </message>
    <message>
        <source>The file is too large.</source>
        <translation>文件过大。</translation>
    </message>
    <message>
        <source>This file cannot be sent as that kind of message.</source>
        <translation>该文件不能以此类消息发送。</translation>
    </message>
    <message>
        <source>You are not allowed to do that.</source>
        <translation>你无权执行该操作。</translation>
    </message>
    <message>
        <source>It no longer exists.</source>
        <translation>该内容已不存在。</translation>
    </message>
    <message>
        <source>Too many requests at once; try again in a moment.</source>
        <translation>请求过于频繁，请稍后再试。</translation>
    </message>
    <message>
        <source>No connection to the server; try again when it is back.</source>
        <translation>未连接到服务器，请在连接恢复后重试。</translation>
    </message>
    <message>
        <source>The server did not answer in time; try again.</source>
        <translation>服务器响应超时，请重试。</translation>
    </message>
    <message>
        <source>Your session has ended; sign in again.</source>
        <translation>登录已失效，请重新登录。</translation>
    </message>
    <message>
        <source>The server failed to do that; try again later.</source>
        <translation>服务器处理失败，请稍后再试。</translation>
    </message>
    <message>
        <source>That did not work: {reason}</source>
        <translation>操作失败：{reason}</translation>
    </message>
</context>
<context>
    <name>RequestsDialog</name>
    <message>
        <source>Join requests</source>
        <translation>入群申请</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>拒绝</translation>
    </message>
</context>
<context>
    <name>RequestsPanel</name>
    <message>
        <source>Requests to you</source>
        <translation>收到的申请</translation>
    </message>
    <message>
        <source>Your requests</source>
        <translation>我发出的申请</translation>
    </message>
    <message>
        <source>Remark (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <source>Friend group (optional)</source>
        <translation>好友分组（可选）</translation>
    </message>
    <message>
        <source>Also add them to my friends</source>
        <translation>同时加对方为我的好友</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>{name} (waiting)</source>
        <translation>{name}（等待验证）</translation>
    </message>
</context>
<context>
    <name>SelectionBar</name>
    <message numerus="yes">
        <source>%n selected</source>
        <translation>
            <numerusform>已选择 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>转发</translation>
    </message>
    <message>
        <source>Forward as chat history</source>
        <translation>合并转发</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Delete for me</source>
        <translation>删除（仅自己）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SendFilesDialog</name>
    <message numerus="yes">
        <source>Send %n file(s)</source>
        <translation>
            <numerusform>发送 %n 个文件</numerusform>
        </translation>
    </message>
    <message>
        <source>Add a caption (optional)</source>
        <translation>添加说明（可选）</translation>
    </message>
    <message>
        <source>Send pictures as files (uncompressed)</source>
        <translation>以文件发送图片（不压缩）</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Clear cache</source>
        <translation>清除缓存</translation>
    </message>
    <message>
        <source>Delete the messages stored on this computer for this account?</source>
        <translation>要删除此账号保存在这台电脑上的消息吗？</translation>
    </message>
    <message>
        <source>They are downloaded again from the server. Messages that were not sent yet are lost.</source>
        <translation>这些消息会从服务器重新下载。尚未发出的消息将会丢失。</translation>
    </message>
    <message>
        <source>Clear downloads</source>
        <translation>清除下载</translation>
    </message>
    <message>
        <source>Delete the pictures, videos and files downloaded to this computer?</source>
        <translation>删除下载到这台电脑上的图片、视频和文件？</translation>
    </message>
    <message>
        <source>Messages are kept; a picture or file is downloaded again when you open it.</source>
        <translation>消息会保留；再次打开图片或文件时会重新下载。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>服务器：</translation>
    </message>
    <message>
        <source>User ID:</source>
        <translation>用户 ID：</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>This computer (local server)</source>
        <translation>这台电脑（本地服务器）</translation>
    </message>
    <message>
        <source>Change server…</source>
        <translation>更换服务器…</translation>
    </message>
    <message>
        <source>Switch account…</source>
        <translation>切换账号…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Forget the saved password on this computer; your messages stay here.</source>
        <translation>忘记这台电脑上保存的密码；你的消息仍会保留在这里。</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Show desktop &amp;notifications</source>
        <translation>显示桌面通知(&amp;N)</translation>
    </message>
    <message>
        <source>Play a &amp;sound</source>
        <translation>播放提示音(&amp;S)</translation>
    </message>
    <message>
        <source>Show &amp;message text in notifications</source>
        <translation>在通知中显示消息内容(&amp;M)</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Local data</source>
        <translation>本地数据</translation>
    </message>
    <message>
        <source>Sign in to see the messages stored here.</source>
        <translation>登录后即可查看保存在这里的消息。</translation>
    </message>
    <message>
        <source>Clearing and downloading again…</source>
        <translation>正在清除并重新下载…</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Messages stored on this computer for {user}: {size}</source>
        <translation>{user} 保存在这台电脑上的消息：{size}</translation>
    </message>
    <message>
        <source>Downloaded pictures, videos and files: —</source>
        <translation>已下载的图片、视频和文件：—</translation>
    </message>
    <message>
        <source>Downloaded pictures, videos and files: {size}</source>
        <translation>已下载的图片、视频和文件：{size}</translation>
    </message>
    <message>
        <source>&amp;Clear cache…</source>
        <translation>清除缓存(&amp;C)…</translation>
    </message>
    <message>
        <source>Clear &amp;downloads…</source>
        <translation>清除下载(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Keep downloads up to:</source>
        <translation>下载最多保留(&amp;K)：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>用户 ID</translation>
    </message>
    <message>
        <source>Change server</source>
        <translation>更换服务器</translation>
    </message>
    <message>
        <source>Switch account</source>
        <translation>切换账号</translation>
    </message>
    <message>
        <source>Show desktop notifications</source>
        <translation>显示桌面通知</translation>
    </message>
    <message>
        <source>Play a sound</source>
        <translation>播放提示音</translation>
    </message>
    <message>
        <source>Show message text in notifications</source>
        <translation>在通知中显示消息内容</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Local data size</source>
        <translation>本地数据大小</translation>
    </message>
    <message>
        <source>Downloads size</source>
        <translation>下载占用空间</translation>
    </message>
    <message>
        <source>Keep downloads up to</source>
        <translation>下载最多保留</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>this computer</source>
        <translation>这台电脑</translation>
    </message>
    <message>
        <source>{user} on {server}</source>
        <translation>{user}（{server}）</translation>
    </message>
    <message>
        <source>Saved. Leave empty to use it.</source>
        <translation>已保存，留空即可使用。</translation>
    </message>
    <message>
        <source>Paste the UserSig</source>
        <translation>粘贴 UserSig</translation>
    </message>
    <message>
        <source>Sign in to Messenger</source>
        <translation>登录 Messenger</translation>
    </message>
    <message>
        <source>Use an account on this computer&apos;s server or on your team&apos;s server.</source>
        <translation>使用本机服务器或团队服务器上的账号。</translation>
    </message>
    <message>
        <source>&amp;Account:</source>
        <translation>账号(&amp;A)：</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>服务器：</translation>
    </message>
    <message>
        <source>&amp;This computer (local server)</source>
        <translation>这台电脑（本地服务器）(&amp;T)</translation>
    </message>
    <message>
        <source>Another ser&amp;ver:</source>
        <translation>其他服务器(&amp;V)：</translation>
    </message>
    <message>
        <source>&amp;User ID:</source>
        <translation>用户 ID(&amp;U)：</translation>
    </message>
    <message>
        <source>Sign in &amp;with:</source>
        <translation>登录方式(&amp;W)：</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>UserSig</source>
        <translation>UserSig</translation>
    </message>
    <message>
        <source>UserSi&amp;g:</source>
        <translation>UserSig(&amp;G)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Forget</source>
        <translation>忘记</translation>
    </message>
    <message>
        <source>&amp;Create account</source>
        <translation>注册账号(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>登录(&amp;S)</translation>
    </message>
    <message>
        <source>New account…</source>
        <translation>新账号…</translation>
    </message>
    <message>
        <source>Saved accounts</source>
        <translation>已保存的账号</translation>
    </message>
    <message>
        <source>Forget this account</source>
        <translation>忘记此账号</translation>
    </message>
    <message>
        <source>Use the local server on this computer</source>
        <translation>使用这台电脑上的本地服务器</translation>
    </message>
    <message>
        <source>Use a server at an address</source>
        <translation>使用指定地址的服务器</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>用户 ID</translation>
    </message>
    <message>
        <source>Sign in with</source>
        <translation>登录方式</translation>
    </message>
    <message>
        <source>Remember me</source>
        <translation>记住我</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>注册账号</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>&amp;Remember me and sign in automatically</source>
        <translation>记住我并自动登录(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Remember me until Messenger quits</source>
        <translation>记住我，直到退出 Messenger(&amp;R)</translation>
    </message>
    <message>
        <source>No system keyring was found, so your password cannot be saved safely. You will be asked for it again next time you start Messenger.</source>
        <translation>未找到系统密钥环，无法安全地保存密码。下次启动 Messenger 时需要重新输入。</translation>
    </message>
    <message>
        <source>No system keyring was found. Passwords are saved in a file in Messenger&apos;s data folder that only your user account can read. It is not encrypted.</source>
        <translation>未找到系统密钥环。密码保存在 Messenger 数据文件夹中的一个文件里，只有你的用户账户可以读取，但该文件未加密。</translation>
    </message>
    <message>
        <source>Save passwords in a private file instead (less safe)</source>
        <translation>改为将密码保存在私有文件中（安全性较低）</translation>
    </message>
    <message>
        <source>Password storage</source>
        <translation>密码存储</translation>
    </message>
</context>
<context>
    <name>SignInViewModel</name>
    <message>
        <source>Enter the server address, like https://im.example.com.</source>
        <translation>请输入服务器地址，例如 https://im.example.com。</translation>
    </message>
    <message>
        <source>Enter your user ID.</source>
        <translation>请输入用户 ID。</translation>
    </message>
    <message>
        <source>A user ID has 1 to 32 letters, digits or _ - . @ characters.</source>
        <translation>用户 ID 由 1 到 32 个字母、数字或 _ - . @ 字符组成。</translation>
    </message>
    <message>
        <source>Accounts are created with a password.</source>
        <translation>注册账号需要设置密码。</translation>
    </message>
    <message>
        <source>Paste your UserSig.</source>
        <translation>请粘贴你的 UserSig。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Creating the account {user}…</source>
        <translation>正在注册账号 {user}…</translation>
    </message>
    <message>
        <source>Signing in as {user}…</source>
        <translation>正在以 {user} 的身份登录…</translation>
    </message>
    <message>
        <source>{user} is open in another window, shown now.</source>
        <translation>{user} 已在另一个窗口中打开，已将其显示在前面。</translation>
    </message>
    <message>
        <source>the local server</source>
        <translation>本地服务器</translation>
    </message>
    <message>
        <source>Wrong user ID or password.</source>
        <translation>用户 ID 或密码错误。</translation>
    </message>
    <message>
        <source>This UserSig has expired. Ask for a new one.</source>
        <translation>此 UserSig 已过期，请重新获取。</translation>
    </message>
    <message>
        <source>This UserSig was made for another user ID.</source>
        <translation>此 UserSig 属于其他用户 ID。</translation>
    </message>
    <message>
        <source>This UserSig was made for another server (SDKAppID).</source>
        <translation>此 UserSig 属于其他服务器（SDKAppID 不符）。</translation>
    </message>
    <message>
        <source>This UserSig is not valid.</source>
        <translation>此 UserSig 无效。</translation>
    </message>
    <message>
        <source>This account is banned on this server.</source>
        <translation>此账号已在该服务器上被封禁。</translation>
    </message>
    <message>
        <source>Too many devices are signed in to this account. Sign out on one first.</source>
        <translation>此账号登录的设备过多，请先在其中一台设备上退出登录。</translation>
    </message>
    <message>
        <source>The user ID {user} is taken. Choose another one.</source>
        <translation>用户 ID {user} 已被占用，请换一个。</translation>
    </message>
    <message>
        <source>There is no account {user} on this server.</source>
        <translation>该服务器上没有账号 {user}。</translation>
    </message>
    <message>
        <source>Too many attempts. Wait a minute and try again.</source>
        <translation>尝试次数过多，请等一分钟后再试。</translation>
    </message>
    <message>
        <source>Cannot reach {server}. Check the address and your connection.</source>
        <translation>无法连接到 {server}，请检查地址和网络连接。</translation>
    </message>
    <message>
        <source>The server refused the request: {reason}</source>
        <translation>服务器拒绝了请求：{reason}</translation>
    </message>
    <message>
        <source>Signing in failed: {reason}</source>
        <translation>登录失败：{reason}</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Open Messenger</source>
        <translation>打开 Messenger</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Messenger</source>
        <translation>Messenger</translation>
    </message>
    <message>
        <source>Messenger — {user}</source>
        <translation>Messenger — {user}</translation>
    </message>
    <message>
        <source>{count} unread</source>
        <translation>{count} 条未读</translation>
    </message>
</context>
<context>
    <name>VideoPlayer</name>
    <message>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open in the system&apos;s video player</source>
        <translation>用系统播放器打开</translation>
    </message>
    <message>
        <source>Pause (Space)</source>
        <translation>暂停（空格）</translation>
    </message>
    <message>
        <source>Play (Space)</source>
        <translation>播放（空格）</translation>
    </message>
    <message>
        <source>Videos cannot be played here: Qt Multimedia is not available.</source>
        <translation>无法在此播放视频：Qt Multimedia 不可用。</translation>
    </message>
</context>
<context>
    <name>VoiceButton</name>
    <message>
        <source>Release to cancel</source>
        <translation>松开取消</translation>
    </message>
    <message>
        <source>Release to send</source>
        <translation>松开发送</translation>
    </message>
    <message>
        <source>Hold to record a voice message</source>
        <translation>按住录制语音消息</translation>
    </message>
    <message>
        <source>The voice message could not be recorded: {reason}</source>
        <translation>语音消息录制失败：{reason}</translation>
    </message>
    <message>
        <source>No microphone was found. Connect one (or allow this app to use it) to record voice messages.</source>
        <translation>未找到麦克风。请连接麦克风（或允许本应用使用麦克风）后再录制语音消息。</translation>
    </message>
    <message>
        <source>Voice messages cannot be recorded here: Qt Multimedia is not available.</source>
        <translation>无法在此录制语音消息：Qt Multimedia 不可用。</translation>
    </message>
</context>
<context>
    <name>VoicePlayer</name>
    <message>
        <source>No speakers or headphones were found to play the voice message on.</source>
        <translation>未找到可播放语音消息的扬声器或耳机。</translation>
    </message>
    <message>
        <source>Voice messages cannot be played here: Qt Multimedia is not available.</source>
        <translation>无法在此播放语音消息：Qt Multimedia 不可用。</translation>
    </message>
    <message>
        <source>The voice message cannot be played: {reason}</source>
        <translation>语音消息无法播放：{reason}</translation>
    </message>
</context>
<context>
    <name>WhoReactedPopup</name>
    <message>
        <source>Reactions</source>
        <translation>表情回应</translation>
    </message>
    <message>
        <source>Who reacted</source>
        <translation>谁回应了</translation>
    </message>
</context>
</TS>
