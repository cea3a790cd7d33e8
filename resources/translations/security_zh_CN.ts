<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountUI</name>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>A&amp;ccount</source>
        <translation>账户(&amp;C)</translation>
    </message>
    <message>
        <source>Change my &amp;password…</source>
        <translation>修改我的密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Lock now</source>
        <translation>立即锁定(&amp;L)</translation>
    </message>
    <message>
        <source>S&amp;witch user…</source>
        <translation>切换用户(&amp;W)…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Users…</source>
        <translation>用户管理(&amp;U)…</translation>
    </message>
    <message>
        <source>&amp;Audit log…</source>
        <translation>审计记录(&amp;A)…</translation>
    </message>
    <message>
        <source>{user} · {role}</source>
        <translation>{user} · {role}</translation>
    </message>
    <message>
        <source>Signed in as {name} on device {device}</source>
        <translation>登录用户 {name}，设备 {device}</translation>
    </message>
    <message>
        <source>Signed in: {user}</source>
        <translation>当前登录：{user}</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>无权操作</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Audit log</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部用户</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>&amp;Verify chain</source>
        <translation>校验链条(&amp;V)</translation>
    </message>
    <message>
        <source>Check every record's hash and link: names the first altered, inserted or removed record</source>
        <translation>逐条核对哈希及前后链接：指出第一条被篡改、插入或删除的记录</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message numerus="yes">
        <source>%n records</source>
        <translation>
            <numerusform>共 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>正在校验…</translation>
    </message>
    <message numerus="yes">
        <source>The chain is whole: %n records checked.</source>
        <translation>
            <numerusform>链条完整：已核对 %n 条记录。</numerusform>
        </translation>
    </message>
    <message>
        <source>The chain is broken: {problem}</source>
        <translation>链条已损坏：{problem}</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>failed sign-in</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>data home created</source>
        <translation>新建数据目录</translation>
    </message>
    <message>
        <source>data home upgraded</source>
        <translation>升级数据目录</translation>
    </message>
    <message>
        <source>user added</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>user disabled</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>password reset</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>password changed</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>role changed</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <source>scored</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>approved or declined</source>
        <translation>审批</translation>
    </message>
    <message>
        <source>memo issued</source>
        <translation>出具报告</translation>
    </message>
    <message>
        <source>override requested</source>
        <translation>申请调整结论</translation>
    </message>
    <message>
        <source>override confirmed</source>
        <translation>确认调整</translation>
    </message>
    <message>
        <source>override rejected</source>
        <translation>驳回调整</translation>
    </message>
    <message>
        <source>exported</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>personal data shown</source>
        <translation>查看完整个人信息</translation>
    </message>
    <message>
        <source>rule pack installed</source>
        <translation>安装评分规则</translation>
    </message>
    <message>
        <source>setting changed</source>
        <translation>修改设置</translation>
    </message>
    <message>
        <source>backup made</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>demo data added</source>
        <translation>添加演示数据</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>&amp;Current password:</source>
        <translation>当前密码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Change password</source>
        <translation>修改密码(&amp;C)</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <source>Type your password.</source>
        <translation>请输入密码。</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Loan Desk is locked</source>
        <translation>信贷工作台已锁定</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <source>Locked after {minutes} idle minutes.</source>
        <translation>闲置 {minutes} 分钟后已自动锁定。</translation>
    </message>
    <message>
        <source>Locked.</source>
        <translation>已锁定。</translation>
    </message>
    <message>
        <source>Your unsaved entries are kept. {user} ({role}): type your password to carry on.</source>
        <translation>未保存的录入内容均已保留。{user}（{role}）：请输入密码继续。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Loan Desk — switch user</source>
        <translation>信贷工作台 — 切换用户</translation>
    </message>
    <message>
        <source>Loan Desk — sign in</source>
        <translation>信贷工作台 — 登录</translation>
    </message>
    <message>
        <source>Sign in with your Loan Desk user name and password.</source>
        <translation>请输入信贷工作台用户名和密码登录。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>登录(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Type your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>NewUserDialog</name>
    <message>
        <source>Add a user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>2-32 lower-case letters, digits, . _ -, starting with a letter</source>
        <translation>2-32 位小写字母、数字或 . _ -，以字母开头</translation>
    </message>
    <message>
        <source>as printed on memos, e.g. 王芳</source>
        <translation>报告上署名，如 王芳</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Full name:</source>
        <translation>姓名(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>角色(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
</context>
<context>
    <name>PasswordFields</name>
    <message>
        <source>New &amp;password:</source>
        <translation>新密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Password &amp;again:</source>
        <translation>确认密码(&amp;A)：</translation>
    </message>
    <message>
        <source>At least 8 characters, with letters and digits.</source>
        <translation>至少 8 位，须同时包含字母和数字。</translation>
    </message>
    <message>
        <source>Strength: weak</source>
        <translation>强度：弱</translation>
    </message>
    <message>
        <source>Strength: fair</source>
        <translation>强度：中</translation>
    </message>
    <message>
        <source>Strength: strong</source>
        <translation>强度：强</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Enable {user}</source>
        <translation>启用 {user}</translation>
    </message>
    <message>
        <source>Reset the password of {user}</source>
        <translation>重置 {user} 的密码</translation>
    </message>
    <message>
        <source>Give {user} a new password and tell it to them in person; they can change it afterwards. Their records are kept.</source>
        <translation>为 {user} 设置新密码并当面告知本人，本人之后可自行修改。其经办记录均保留。</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>启用(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Reset password</source>
        <translation>重置密码(&amp;R)</translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <source>Change the role of {user}</source>
        <translation>更改 {user} 的角色</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>角色(&amp;R)：</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>Users</source>
        <translation>用户管理</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>密码修改时间</translation>
    </message>
    <message>
        <source>&amp;Add user…</source>
        <translation>添加用户(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Enable…</source>
        <translation>启用(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Reset password…</source>
        <translation>重置密码(&amp;R)…</translation>
    </message>
    <message>
        <source>Change r&amp;ole…</source>
        <translation>更改角色(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未登录</translation>
    </message>
    <message>
        <source>{user} is disabled: they can no longer sign in.</source>
        <translation>已停用 {user}：该用户无法再登录。</translation>
    </message>
</context>
<context>
    <name>SignedIn</name>
    <message>
        <source>Records carry the signed-in user's name: sign in as another user to act as them.</source>
        <translation>记录上只能是当前登录用户的姓名：如需以他人身份操作，请切换用户登录。</translation>
    </message>
</context>
</TS>
