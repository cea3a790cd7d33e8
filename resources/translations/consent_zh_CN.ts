<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>IntakeSections</name>
    <message>
        <source>Given by</source>
        <translation>授权人</translation>
    </message>
    <message>
        <source>The legal representative, or the person they authorised</source>
        <translation>法定代表人，或其授权的人</translation>
    </message>
    <message>
        <source>Covers</source>
        <translation>查询范围</translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation>到期日</translation>
    </message>
    <message>
        <source>YYYY-MM-DD; a year after the consent date if left empty</source>
        <translation>年-月-日；留空则为授权日期起一年</translation>
    </message>
    <message>
        <source>Tax data and the credit report</source>
        <translation>涉税信息和征信报告</translation>
    </message>
    <message>
        <source>Tax data only</source>
        <translation>仅涉税信息</translation>
    </message>
    <message>
        <source>The credit report only</source>
        <translation>仅征信报告</translation>
    </message>
</context>
<context>
    <name>ScorePanel</name>
    <message>
        <source>Not scored</source>
        <translation>未评分</translation>
    </message>
    <message>
        <source>Scoring needs the applicant's consent: %1</source>
        <translation>评分须取得申请人授权：%1</translation>
    </message>
    <message>
        <source>Record the consent in the application's Consent section (or with loandesk consent record), then score it.</source>
        <translation>请在申请的“查询授权”栏记录授权（或使用 loandesk consent record），然后再评分。</translation>
    </message>
    <message>
        <source>Consent: %1. It cannot be scored again until a new consent is recorded.</source>
        <translation>授权：%1。记录新的授权之前，不能重新评分。</translation>
    </message>
    <message>
        <source>%1's decision of %2 was set aside: the application was changed on %3. Score it again; the approver then decides again.</source>
        <translation>审批人%1于 %2 作出的审批决定已失效：申请资料于 %3 修改。请重新评分，再由审批人重新审批。</translation>
    </message>
</context>
<context>
    <name>ApplicationActions</name>
    <message>
        <source>Memo exists, but this file is not proof of it</source>
        <translation>报告存在，但本文件不能证明其真实</translation>
    </message>
</context>
</TS>
