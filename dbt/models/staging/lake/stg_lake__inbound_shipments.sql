with

lake_rows as (
    {{ latest_document_rows('inbound_shipments') }}
),

final as (
    select
        lake_rows.source_row_id,
        lake_rows.seller_id,
        lake_rows.marketplace_id,
        lake_rows.shipment_id,
        lake_rows.shipment_name,
        lake_rows.destination_fulfillment_center_id,
        lake_rows.shipment_status,
        lake_rows.label_prep_type,
        lake_rows.are_cases_required,
        lake_rows.box_contents_source,
        lake_rows._document_id,
        lake_rows._line_number,
        lake_rows._document_created_at
    from lake_rows
)

select * from final
