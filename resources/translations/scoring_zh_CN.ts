<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ScorePanel</name>
    <message>
        <source>Term</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>%1 months, revolving within %2 months</source>
        <translation>%1 个月，%2 个月内循环使用</translation>
    </message>
    <message>
        <source>%1 months</source>
        <translation>%1 个月</translation>
    </message>
    <message>
        <source>Not scored yet</source>
        <translation>尚未评分</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>评级</translation>
    </message>
    <message>
        <source>Credit limit</source>
        <translation>授信额度</translation>
    </message>
    <message>
        <source>Annual rate</source>
        <translation>年利率</translation>
    </message>
    <message>
        <source>Enterprise size</source>
        <translation>企业规模</translation>
    </message>
    <message>
        <source>Points by factor</source>
        <translation>各因子得分</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>What would change the outcome</source>
        <translation>如何改变结果</translation>
    </message>
    <message>
        <source>Scoring…</source>
        <translation>评分中…</translation>
    </message>
    <message>
        <source>Could not score: %1</source>
        <translation>无法评分：%1</translation>
    </message>
    <message>
        <source>%1 yuan</source>
        <translation>%1 元</translation>
    </message>
    <message>
        <source>%1% (LPR %2% of %3)</source>
        <translation>%1%（LPR %2%，%3）</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>大型</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中型</translation>
    </message>
    <message>
        <source>Small</source>
        <translation>小型</translation>
    </message>
    <message>
        <source>Micro</source>
        <translation>微型</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>No application chosen</source>
        <translation>未选择申请</translation>
    </message>
    <message>
        <source>Score it and record the decision with Ctrl+D.</source>
        <translation>按 Ctrl+D 评分并记录决定。</translation>
    </message>
    <message>
        <source>Approved by %1 on %2 (model: %3)</source>
        <translation>审批人%1于 %2 审批同意（模型结论：%3）</translation>
    </message>
    <message>
        <source>Conditions: %1</source>
        <translation>审批条件：%1</translation>
    </message>
    <message>
        <source>Declined by %1 on %2 (model: %3)</source>
        <translation>审批人%1于 %2 审批拒绝（模型结论：%3）</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>理由：%1</translation>
    </message>
    <message>
        <source>Override confirmed by %1 (model: %2); the approver has not decided yet</source>
        <translation>推翻已由%1确认（模型结论：%2）；审批人尚未审批</translation>
    </message>
    <message>
        <source>The model's decision; the approver has not decided yet</source>
        <translation>模型结论；审批人尚未审批</translation>
    </message>
</context>
<context>
    <name>DecisionWords</name>
    <message>
        <source>Approve</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Refer</source>
        <translation>转审批</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>{decision} (change to {wanted} requested, awaiting an approver)</source>
        <translation>{decision}（申请改为{wanted}，待复核）</translation>
    </message>
</context>
</TS>
